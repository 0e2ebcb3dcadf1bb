import type { Config } from "@react-router/dev/config";

export default {
  // Render every page on the server.
  ssr: true,
} satisfies Config;
