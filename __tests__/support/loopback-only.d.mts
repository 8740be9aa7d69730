export declare const GUARD_LOG_ENV: 'NETWORK_GUARD_LOG';
export declare const GUARD_ERROR_CODE: 'ERR_NETWORK_GUARD';

export interface RefusedAttempt {
  time: string;
  pid: number;
  script: string;
  host: string;
  port: string;
}

/** True for the only hosts tests may reach: 127.0.0.1, ::1, localhost. */
export declare function isLoopbackHost(host: string): boolean;
/** Connections this process has refused so far, oldest first. */
export declare function refusedConnections(): RefusedAttempt[];
export declare function guardError(host: string, port: number | string | undefined): Error;
