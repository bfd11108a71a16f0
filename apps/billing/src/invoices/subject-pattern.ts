/** A token `sub` as usage-tracking accepts it: printable ASCII without spaces. */
export const SUBJECT_PATTERN = /^[\x21-\x7E]{1,255}$/;
