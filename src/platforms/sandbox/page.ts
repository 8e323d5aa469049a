/** The local chat simulator: pick a chat and a persona, type, click cards. Plain HTML + JS, no build step. */
export function sandboxPage(): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>校安 · 沙盒</title>
<style>
  * { box-sizing: border-box; }
  body { margin: 0; font: 14px/1.5 -apple-system, "PingFang SC", "Microsoft YaHei", sans-serif; background: #f2f3f5; color: #1f2329; }
  header { display: flex; gap: 12px; align-items: center; padding: 10px 16px; background: #fff; border-bottom: 1px solid #dee0e3; flex-wrap: wrap; }
  header h1 { font-size: 16px; margin: 0 12px 0 0; }
  main { display: grid; grid-template-columns: 240px 1fr; height: calc(100vh - 54px); }
  nav { background: #fff; border-right: 1px solid #dee0e3; overflow-y: auto; }
  nav button { display: block; width: 100%; text-align: left; padding: 10px 14px; border: 0; background: none; cursor: pointer; border-bottom: 1px solid #f0f1f2; }
  nav button.active { background: #e1eaff; }
  nav small { color: #8f959e; display: block; }
  section { display: flex; flex-direction: column; min-width: 0; }
  #messages { flex: 1; overflow-y: auto; padding: 16px; }
  .msg { margin: 0 0 14px; max-width: 620px; }
  .msg.user { margin-left: auto; }
  .who { font-size: 12px; color: #8f959e; }
  .bubble { background: #fff; padding: 8px 12px; border-radius: 8px; white-space: pre-wrap; }
  .user .bubble { background: #c9dcff; }
  .card { background: #fff; border-radius: 8px; overflow: hidden; border: 1px solid #dee0e3; }
  .card h3 { margin: 0; padding: 10px 12px; color: #fff; font-size: 15px; }
  .tone-info h3 { background: #3370ff; } .tone-warning h3 { background: #ff8800; }
  .tone-danger h3 { background: #f54a45; } .tone-success h3 { background: #34c724; }
  .card .body { padding: 10px 12px; }
  .card .md { white-space: pre-wrap; margin: 0 0 8px; }
  .card dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 10px; margin: 0 0 8px; }
  .card dt { color: #646a73; } .card dd { margin: 0; }
  .card .actions { display: flex; gap: 8px; flex-wrap: wrap; }
  .card button, .card a.link { padding: 5px 12px; border-radius: 6px; border: 1px solid #bbbfc4; background: #fff; cursor: pointer; text-decoration: none; color: inherit; font-size: 13px; }
  .card button.primary { background: #3370ff; border-color: #3370ff; color: #fff; }
  .card button.danger { color: #f54a45; border-color: #f54a45; }
  .card form { display: grid; gap: 6px; margin: 8px 0; }
  .card input, .card select, .card textarea { width: 100%; padding: 5px; border: 1px solid #bbbfc4; border-radius: 4px; font: inherit; }
  .card footer { color: #8f959e; font-size: 12px; padding: 0 12px 10px; }
  .urgent { color: #f54a45; font-size: 12px; }
  .composer { display: flex; gap: 8px; padding: 10px 16px; background: #fff; border-top: 1px solid #dee0e3; }
  .composer textarea { flex: 1; height: 60px; padding: 6px; font: inherit; }
  #toast { position: fixed; top: 64px; left: 50%; transform: translateX(-50%); background: #1f2329; color: #fff; padding: 8px 16px; border-radius: 6px; display: none; }
  @media (max-width: 700px) { main { grid-template-columns: 1fr; } nav { max-height: 30vh; } }
</style>
</head>
<body>
<header>
  <h1>校安 · 沙盒</h1>
  <label>我是 <select id="persona"></select></label>
  <label>模拟时间 <input id="tickAt" type="datetime-local"></label>
  <button id="tick">运行调度</button>
</header>
<main>
  <nav id="chats"></nav>
  <section>
    <div id="messages"></div>
    <div class="composer">
      <textarea id="text" placeholder="@校安 三楼东侧楼梯口堆了旧桌椅，把疏散通道堵了"></textarea>
      <button id="send">发送</button>
    </div>
  </section>
</main>
<div id="toast"></div>
<script>
const $ = (id) => document.getElementById(id);
let state = { chats: [], people: [] }, chat = null, lastId = '0';
const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]);
const md = (s) => esc(s).replace(/\\*\\*(.+?)\\*\\*/g, '<b>$1</b>');
function toast(text) { const t = $('toast'); t.textContent = text; t.style.display = 'block'; setTimeout(() => t.style.display = 'none', 2500); }
async function api(path, body) {
  const res = await fetch('/sandbox/api/' + path, body ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {});
  const json = await res.json();
  if (!res.ok) throw new Error(json.error || res.statusText);
  return json;
}
function renderCard(msg) {
  const c = msg.card, el = document.createElement('div');
  el.className = 'card tone-' + c.tone;
  let html = '<h3>' + esc(c.title) + '</h3><div class="body">';
  for (const b of c.blocks) {
    if (b.type === 'markdown') html += '<p class="md">' + md(b.text) + '</p>';
    else html += '<dl>' + b.fields.map((f) => '<dt>' + esc(f.label) + '</dt><dd>' + esc(f.value) + '</dd>').join('') + '</dl>';
  }
  if (c.form) {
    html += '<form data-submit="' + esc(c.form.submit.id) + '">' + c.form.inputs.map((i) => {
      const label = esc(i.label) + (i.required ? ' *' : '');
      if (i.type === 'select') return '<label>' + label + '<select name="' + esc(i.name) + '">' + i.options.map((o) => '<option value="' + esc(o.value) + '"' + (o.value === i.initial ? ' selected' : '') + '>' + esc(o.label) + '</option>').join('') + '</select></label>';
      if (i.type === 'date') return '<label>' + label + '<input type="date" name="' + esc(i.name) + '" value="' + esc(i.initial) + '"></label>';
      return '<label>' + label + (i.multiline ? '<textarea name="' + esc(i.name) + '">' + esc(i.initial) + '</textarea>' : '<input name="' + esc(i.name) + '" value="' + esc(i.initial) + '" placeholder="' + esc(i.placeholder) + '">') + '</label>';
    }).join('') + '<button class="primary" type="submit">' + esc(c.form.submit.label) + '</button></form>';
  }
  html += '<div class="actions">' + c.buttons.map((b) => b.url
    ? '<a class="link" target="_blank" href="' + esc(b.url) + '">' + esc(b.label) + '</a>'
    : '<button class="' + b.style + '" data-button="' + esc(b.id) + '">' + esc(b.label) + '</button>').join('') + '</div></div>';
  if (c.footer) html += '<footer>' + esc(c.footer) + '</footer>';
  el.innerHTML = html;
  el.querySelectorAll('button[data-button]').forEach((btn) => btn.onclick = () => click(msg.id, btn.dataset.button, {}));
  const form = el.querySelector('form');
  if (form) form.onsubmit = (e) => { e.preventDefault(); click(msg.id, form.dataset.submit, Object.fromEntries(new FormData(form))); };
  return el;
}
function renderMessage(msg) {
  const person = state.people.find((p) => p.id === msg.user);
  const el = document.createElement('div');
  el.className = 'msg ' + msg.sender;
  el.dataset.id = msg.id;
  el.innerHTML = '<div class="who">' + (msg.sender === 'bot' ? '校安' : esc(person ? person.name : msg.user)) + ' · ' + new Date(msg.at).toLocaleString('zh-CN') + (msg.urgent ? ' <span class="urgent">加急</span>' : '') + '</div>';
  if (msg.card) el.appendChild(renderCard(msg));
  else { const b = document.createElement('div'); b.className = 'bubble'; b.textContent = msg.text + (msg.attachments.length ? '  [图片×' + msg.attachments.length + ']' : ''); el.appendChild(b); }
  return el;
}
async function load(reset) {
  if (!chat) return;
  if (reset) { $('messages').innerHTML = ''; lastId = '0'; }
  const { messages } = await api('chats/' + encodeURIComponent(chat) + '/messages?after=' + lastId);
  for (const m of messages) { $('messages').appendChild(renderMessage(m)); lastId = m.id; }
  if (messages.length) $('messages').scrollTop = 1e9;
}
async function click(messageId, buttonId, form) {
  try {
    const r = await api('actions', { chat, user: $('persona').value, messageId, buttonId, form });
    if (r.toast) toast(r.toast.text);
    if (r.card) { const old = document.querySelector('.msg[data-id="' + messageId + '"]'); const msg = { id: messageId, sender: 'bot', card: r.card, at: new Date().toISOString(), attachments: [] }; old.replaceWith(renderMessage(msg)); }
    await load(false);
  } catch (e) { toast(e.message); }
}
async function init() {
  state = await api('state');
  $('persona').innerHTML = state.people.map((p) => '<option value="' + esc(p.id) + '">' + esc(p.name) + (p.roles.length ? '（' + esc(p.roles.join('、')) + '）' : '') + '</option>').join('');
  $('chats').innerHTML = state.chats.map((c) => '<button data-chat="' + esc(c.id) + '">' + esc(c.title || c.id) + '<small>' + esc(c.kind) + (c.className ? ' · ' + esc(c.className) : '') + '</small></button>').join('');
  $('chats').querySelectorAll('button').forEach((b) => b.onclick = () => { chat = b.dataset.chat; $('chats').querySelectorAll('button').forEach((x) => x.classList.toggle('active', x === b)); load(true); });
  $('chats').querySelector('button')?.click();
}
$('send').onclick = async () => {
  const text = $('text').value.trim(); if (!text || !chat) return;
  try { await api('messages', { chat, user: $('persona').value, text, wait: true }); $('text').value = ''; await load(false); } catch (e) { toast(e.message); }
};
$('tick').onclick = async () => {
  const v = $('tickAt').value; if (!v) return toast('请先选择模拟时间');
  try { await api('tick', { now: new Date(v).toISOString() }); toast('调度已运行'); await load(false); } catch (e) { toast(e.message); }
};
setInterval(() => load(false).catch(() => {}), 2000);
init();
</script>
</body>
</html>`;
}
