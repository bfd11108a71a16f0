/** `client_id` of tokens obtained by logging in (first-party, no registered client). */
export const LOGIN_CLIENT_ID = 'sso-login';
