/**
 * Extractor throughput: 10,000 generated group-chat messages through runExtract (JSON in, JSON out),
 * in this process and in a fresh child process (start-up included, as `xiaoan extract` runs).
 * Run: npx tsx test/bench/extract.ts [count]
 */
import { spawn } from 'node:child_process';
import { PassThrough, Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { runExtract } from '../../src/cli/commands/extract.js';

const COUNT = Number(process.argv[2] ?? 10_000);

const places = [
  '二楼走廊',
  '三楼东侧楼梯口',
  '食堂后厨',
  '操场东北角',
  '教师宿舍',
  '化学实验室',
  '3号宿舍楼四楼',
  '五年级3班教室',
  '校门口',
  '锅炉房',
  '图书馆',
  '体育馆器材室',
  '南门',
  '车棚',
  '医务室',
  '学校后面的池塘',
  '综合楼外面',
  '一楼大厅',
];
const problems = [
  '的灭火器过期了',
  '的应急灯不亮',
  '的插座烧黑了，有焦味',
  '有人用电热毯',
  '的电线乱拉，接线板串联',
  '的留样柜坏了',
  '的饮水机水有怪味',
  '的药品柜没有上锁',
  '的电梯运行有异响',
  '的压力表指针在红区',
  '的减速带被压坏了',
  '的墙体有裂缝，越来越宽',
  '的窗户没有限位器',
  '的栏杆松了，一摇就晃',
  '没有警示牌，也没有救生圈',
  '的监控坏了一个月',
  '的天然气闻着有味道',
  '的排水沟被树叶堵了',
  '有几个学生发烧咳嗽',
  '的窨井盖不见了',
  '的防滑条掉了',
];
const whole = [
  '校车司机早上身上有酒味',
  '周末有学生约着去水库游泳',
  '初二有几个男生课间经常推搡一个个子小的同学',
  '有个陌生人拿着刀在校门口晃',
  '午饭后十几个学生肚子疼、呕吐，已经送医院了',
  '大风把教学楼顶的太阳能板吹松了',
  '班里有个女生在日记里写不想活了',
  '暑假装修的教学楼开学了还没验收就要用',
  '@安全助手 报告厅后台起火了！',
];
const chatter = [
  '收到，谢谢',
  '好的',
  '老师们周末愉快',
  '明天下午三点在会议室开安全工作会，请准时参加',
  '已经处理好了，大家放心',
  '本周五进行地震疏散演练，请各班做好准备',
  '请大家于本周五前完成安全教育平台的专题学习',
  '[图片]',
  'OK',
  '今天检查了学校所有的电梯，运行正常',
  '食堂下周的菜谱已经发到群里了',
];
const tails = ['', '', '', '，请尽快处理', '，3天内整改', '，下周五前修好', '。', '！！', ' @校安'];

/** Deterministic so runs compare. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generate(count: number): string[] {
  const next = random(20240901);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const messages: string[] = [];
  for (let i = 0; i < count; i++) {
    const roll = next();
    if (roll < 0.55) messages.push(`${pick(places)}${pick(problems)}${pick(tails)}`);
    else if (roll < 0.7) messages.push(`${pick(whole)}${pick(tails)}`);
    else messages.push(pick(chatter));
  }
  return messages;
}

async function inProcess(input: string): Promise<{ ms: number; lines: number }> {
  const output = new PassThrough();
  let lines = 0;
  output.on('data', (chunk: Buffer) => {
    for (const byte of chunk) if (byte === 0x0a) lines++;
  });
  const started = performance.now();
  await runExtract(Readable.from([input]), output);
  return { ms: performance.now() - started, lines };
}

function childProcess(input: string): Promise<{ ms: number; lines: number }> {
  const entry = fileURLToPath(new URL('../../src/cli/commands/extract.ts', import.meta.url));
  const script = `import(${JSON.stringify(entry)}).then((m) => m.runExtract(process.stdin, process.stdout))`;
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let lines = 0;
  child.stdout.on('data', (chunk: Buffer) => {
    for (const byte of chunk) if (byte === 0x0a) lines++;
  });
  child.stdin.end(input);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve({ ms: performance.now() - started, lines });
      else reject(new Error(`extract child exited with ${code}`));
    });
  });
}

function report(label: string, { ms, lines }: { ms: number; lines: number }): void {
  if (lines !== COUNT) throw new Error(`${label}: ${lines} output lines for ${COUNT} messages`);
  const perSecond = Math.round((COUNT / ms) * 1000);
  console.log(`${label.padEnd(34)} ${ms.toFixed(0).padStart(6)} ms   ${String(perSecond).padStart(7)} messages/s`);
}

const input = generate(COUNT)
  .map((text) => `${JSON.stringify({ text })}\n`)
  .join('');
console.log(`extract bench: ${COUNT} messages, ${(input.length / 1024).toFixed(0)} KiB of JSON lines`);
report('in process (first run, cold)', await inProcess(input));
report('in process (warm)', await inProcess(input));
report('child process incl. start-up', await childProcess(input));
