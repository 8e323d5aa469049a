const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => escapes[ch]!);

/** The shell of every mobile H5 page: Chinese, phone-first, no external assets. */
export function h5Page(title: string, body: string): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<title>${escapeHtml(title)}</title>
<style>
body{margin:0;font:16px/1.6 -apple-system,"PingFang SC","Microsoft YaHei",sans-serif;background:#f5f6f7;color:#1f2329}
main{max-width:640px;margin:0 auto;padding:16px}
h1{font-size:20px;margin:8px 0 16px}
.panel{background:#fff;border-radius:10px;padding:16px;margin-bottom:14px}
button,.button{display:block;width:100%;padding:12px;border:0;border-radius:8px;background:#3370ff;color:#fff;font-size:17px;text-align:center;text-decoration:none}
button.secondary{background:#fff;color:#3370ff;border:1px solid #3370ff}
input,textarea,select{width:100%;box-sizing:border-box;padding:10px;font:inherit;font-size:16px;border:1px solid #c9cdd4;border-radius:6px;margin:4px 0 12px;background:#fff}
.alert{background:#fff1f0;color:#d83931;padding:10px 12px;border-radius:6px}
.ok{color:#2ea121}.warn{color:#d83931}.muted{color:#8f959e;font-size:14px}
</style></head><body><main>${body}</main></body></html>`;
}
