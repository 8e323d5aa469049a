/**
 * V8 flags the server runs with: `npm start`, the bin's shebang and the receipts benchmark's server all use
 * these (node-flags.test.ts keeps them in step). A larger young generation: under a burst of card callbacks the
 * requests waiting for their batch's commit survive scavenges and are copied each time; with 64 MB semi-spaces
 * scavenges run a quarter as often and GC time per callback fell from 9–12 µs to about 5 µs (README, 性能).
 * It is a ceiling, reached only under sustained load: up to ~150 MB more memory then.
 */
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=64'] as const;
