-- One database per service: nothing reads another service's tables.
CREATE DATABASE auth;
CREATE DATABASE api_keys;
CREATE DATABASE billing;
CREATE DATABASE usage_tracking;
CREATE DATABASE settings;
CREATE DATABASE product;
