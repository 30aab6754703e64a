// The exit codes of the commands beyond 0 and 1, after sysexits.h, so scripts can tell a
// wrong command line from a wrong configuration.
export const EXIT_USAGE = 64;
export const EXIT_CONFIG = 78;
