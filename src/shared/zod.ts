// zod as Spreekuur uses it: every schema checks the environment or a data file once, at start. zod's
// JIT compiles an object schema into a function at its first parse, which only pays back over many
// parses; for one parse it costs more than it saves (some 15 ms of CPU at each start of a command).
import { z } from 'zod';

z.config({ jitless: true });

export { z };
