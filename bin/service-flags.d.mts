/** The V8 flags the service runs with, wherever it starts (Dockerfile, npm start, systemd, benchmark). */
export const SERVICE_NODE_FLAGS: readonly string[];
