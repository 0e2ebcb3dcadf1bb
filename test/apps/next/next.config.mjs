import { fileURLToPath } from 'node:url';

/** @type {import('next').NextConfig} */
const nextConfig = {
  // This app lives inside another project (corral's): its own directory is the root, not the one with the outer lockfile.
  turbopack: { root: fileURLToPath(new URL('.', import.meta.url)) },
  async redirects() {
    return [{ source: '/old', destination: '/', permanent: false }];
  },
};

export default nextConfig;
