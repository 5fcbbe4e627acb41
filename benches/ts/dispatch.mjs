// Times the generated TypeScript dispatcher per message (run by bench-report).
//
// usage: node dispatch.mjs <dist dir> <channel>
// <dist dir> is the tsc output of the benchmark's ts/ project: it holds
// generated/ts/<channel>.js, generated/ts/<channel>.examples.js and ts/handlers.js.
// Prints one JSON line of nanoseconds per message.
import path from "node:path";
import { pathToFileURL } from "node:url";

const [dist, channel] = process.argv.slice(2);
if (!dist || !channel) {
  console.error("usage: node dispatch.mjs <dist dir> <channel>");
  process.exit(2);
}
const load = (file) => import(pathToFileURL(path.join(dist, file)).href);
const module = await load(`generated/ts/${channel}.js`);
const { [`${channel.toUpperCase()}_EXAMPLES`]: examples } = await load(`generated/ts/${channel}.examples.js`);
const { handlers, handledTotal } = await load("ts/handlers.js");
const capital = channel[0].toUpperCase() + channel.slice(1);
const dispatch = module[`dispatch${capital}Event`];
const types = module[`${channel.toUpperCase()}_EVENT_TYPES`];

// Every example of every event, round-robin: the megamorphic case of a busy channel.
const mixed = [];
for (const type of types) {
  for (const payload of examples[type]) {
    mixed.push({ protocol_version: 1, event_type: type, payload });
  }
}
// One event type only: the monomorphic best case.
const single = mixed.filter((message) => message.event_type === types[0]);
const mixedWire = mixed.map((message) => JSON.stringify(message));

function nsPerOp(count, body) {
  body(Math.min(count, 200_000)); // warm up
  const start = process.hrtime.bigint();
  body(count);
  return Number(process.hrtime.bigint() - start) / count;
}

const N = 2_000_000;
const result = {
  messages: mixed.length,
  dispatch_mixed_ns: nsPerOp(N, (n) => {
    for (let i = 0; i < n; i++) dispatch(handlers, mixed[i % mixed.length]);
  }),
  direct_mixed_ns: nsPerOp(N, (n) => {
    for (let i = 0; i < n; i++) {
      const message = mixed[i % mixed.length];
      handlers[message.event_type](message.payload, message);
    }
  }),
  dispatch_single_ns: nsPerOp(N, (n) => {
    for (let i = 0; i < n; i++) dispatch(handlers, single[i % single.length]);
  }),
  parse_ns: nsPerOp(N / 4, (n) => {
    for (let i = 0; i < n; i++) JSON.parse(mixedWire[i % mixedWire.length]);
  }),
  parse_dispatch_ns: nsPerOp(N / 4, (n) => {
    for (let i = 0; i < n; i++) dispatch(handlers, JSON.parse(mixedWire[i % mixedWire.length]));
  }),
  handled: handledTotal() > 0,
};
console.log(JSON.stringify(result));
