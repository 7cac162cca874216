import type { Config } from "@react-router/dev/config";

export default {
  // server-side render by default; `false` would make a SPA
  ssr: true,
} satisfies Config;
