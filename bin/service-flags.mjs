// The V8 flags the service runs with, wherever it starts: the Dockerfile's CMD, `npm start`, the
// systemd unit in docs/operations.md, and the engine benchmark's service processes (so it measures
// what production runs; test/deploy checks that they agree).
//
// --max-semi-space-size=8: V8's young generation may otherwise grow to 2 × 16 MB, and stays resident
// once grown. At 8 MB a process holding 10,000 conversations kept some 30 MB less RSS (150 → 120 MB),
// at no cost in throughput the benchmark could see: a turn's garbage is short-lived either way.
export const SERVICE_NODE_FLAGS = ['--max-semi-space-size=8'];
