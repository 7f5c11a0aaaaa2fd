// The V8 flags the service runs with, wherever it starts: the Dockerfile's CMD, `npm start`, the
// systemd unit in docs/operations.md, and the engine benchmark's service processes (so it measures
// what production runs; test/deploy checks that they agree).
//
// --max-semi-space-size=8: V8's young generation may otherwise grow to 2 × 16 MB, and stays resident
// once grown. At 8 MB a process holding 10,000 conversations kept some 30 MB less RSS (150 → 120 MB),
// at no cost in throughput the benchmark could see: a turn's garbage is short-lived either way.
//
// --heap-growing-percent=50: after each full collection V8 lets the old generation grow to 1.5 × what
// survived before collecting again, instead of a factor it picks from how fast collecting went
// against how fast the service promoted objects, anywhere from 1.1 to 4. On a busy machine it picked
// 4 now and then: ~31 MB live became ~130 MB of heap (RSS 180-210 MB instead of ~130 at 10,000
// conversations, both before and after the raw-client transactions). At 1.5 the process collects as
// often as it did in the usual runs, where V8 picked ~1.5 itself (15 full collections per 40,000
// messages), at the same throughput.
export const SERVICE_NODE_FLAGS = ['--max-semi-space-size=8', '--heap-growing-percent=50'];
