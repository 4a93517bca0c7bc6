// A tiny static file server for the exported web app, with the single-page
// fallback to index.html. Loopback only.
//   node e2e/static-server.mjs <dir> [port]
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.ttf': 'font/ttf',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

export function startStaticServer(root, port = 0, host = '127.0.0.1') {
  const base = resolve(root);
  const server = createServer((req, res) => {
    let path;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://local').pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    let file = normalize(join(base, path));
    if (file !== base && !file.startsWith(base + sep)) {
      res.writeHead(403).end();
      return;
    }
    let stat = safeStat(file);
    if (stat?.isDirectory()) {
      file = join(file, 'index.html');
      stat = safeStat(file);
    }
    if (!stat?.isFile()) {
      // Client-side routes: let the app's router handle the path.
      file = join(base, 'index.html');
      stat = safeStat(file);
      if (!stat) {
        res.writeHead(404).end('not found');
        return;
      }
    }
    const hashed = file.includes(`${sep}_expo${sep}`) || file.includes(`${sep}assets${sep}`);
    res.writeHead(200, {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Content-Length': stat.size,
      'Cache-Control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    if (req.method === 'HEAD') return res.end();
    createReadStream(file).pipe(res);
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolvePromise({ server, url: `http://${host}:${server.address().port}` }));
  });
}

function safeStat(file) {
  try {
    return statSync(file);
  } catch {
    return null;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [dir = 'dist', port = '8081'] = process.argv.slice(2);
  const { url } = await startStaticServer(dir, Number(port));
  console.log(`serving ${dir} at ${url}`);
}
