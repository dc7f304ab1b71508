/** Environment variables through which the supervisor configures its children. */
export const SETTINGS_ENV = "AUTHDAEMOND_SETTINGS";
export const LISTEN_PATH_ENV = "AUTHDAEMOND_LISTEN";
