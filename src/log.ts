import type { Log } from './platforms/types.js';

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

/** JSON lines on the console: the Workers logger (pino runs on Node). */
export function consoleLog(level: string = 'info'): Log {
  const threshold = Math.max(0, LEVELS.indexOf(level as (typeof LEVELS)[number]));
  const write = (name: (typeof LEVELS)[number]) => (obj: object | string, msg?: string) => {
    if (LEVELS.indexOf(name) < threshold) return;
    const fields = typeof obj === 'string' ? { msg: obj } : { ...obj, msg };
    if ('err' in fields && fields.err instanceof Error)
      fields.err = { message: fields.err.message, stack: fields.err.stack };
    console.log(JSON.stringify({ level: name, time: new Date().toISOString(), ...fields }));
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}
