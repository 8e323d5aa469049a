/** Shared by the receipts benchmark's runner and server (the server module runs on import). */
export const BENCH_SECRET = 'bench-secret-bench-secret-bench-secret-0';
export const BENCH_FEISHU = {
  FEISHU_APP_ID: 'cli_bench000000000000',
  FEISHU_APP_SECRET: 'bench-app-secret',
  FEISHU_VERIFICATION_TOKEN: 'bench-verification-token',
  FEISHU_ENCRYPT_KEY: 'bench-encrypt-key',
  FEISHU_BASE_URL: 'http://127.0.0.1:9',
};
