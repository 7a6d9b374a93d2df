// Stride's service worker: the app works offline after the first visit.
// - On install: the pages of the navigation, the /pkg files they link (wasm, JS glue, CSS),
//   the analysis worker, the manifest and the icon go into the cache.
// - Every same-origin GET (but /api) goes to the network first, fresh (`no-cache`, since the
//   server sends /pkg without long-lived cache headers), and the answer refreshes the cache;
//   with the network gone the cached copy answers.
// - A run's page that was never visited is answered offline by the page of any run
//   (`RUN_SHELL`): the server renders every run page alike (the run is read from this device's
//   library after hydration), so it hydrates at the run's own address.
// - Pages of an account or a shared link are never kept (network only), nor is any answer the
//   server marks `no-store` or `private`: after signing out or a link's revocation nothing of
//   them stays readable offline. (v2: v1 kept them; activating v2 deletes v1's cache.)
const CACHE = 'stride-v2';
const PRIVATE = /^\/(account|settings\/account|shared\/|signin\/two-factor)/;
const RUN_SHELL = '/runs/offline';
const PAGES = ['/', '/runs', '/dashboard', '/plans', '/watch', '/signin', RUN_SHELL];
const STATIC = ['/analysis-worker.js', '/manifest.webmanifest', '/favicon.svg'];

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    const home = await fetch('/', { cache: 'no-cache' });
    const html = await home.clone().text();
    await cache.put('/', home);
    const urls = new Set([...PAGES.slice(1), ...STATIC]);
    for (const match of html.matchAll(/(?:href|src)="(\/pkg\/[^"]+)"/g)) urls.add(match[1]);
    await Promise.all([...urls].map(async (url) => {
      try {
        const response = await fetch(url, { cache: 'no-cache' });
        if (response.ok) await cache.put(url, response);
      } catch (e) {
        // Cached on first use instead.
      }
    }));
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin || url.pathname.startsWith('/api')
      || PRIVATE.test(url.pathname)) {
    return;
  }
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    try {
      const response = await fetch(request, { cache: 'no-cache' });
      const control = response.headers.get('cache-control') ?? '';
      if (response.ok && !/no-store|private/.test(control)) await cache.put(request, response.clone());
      return response;
    } catch (offline) {
      // The worker script carries its module's addresses in its query string.
      let cached = await cache.match(request, { ignoreSearch: url.pathname === '/analysis-worker.js' });
      if (!cached && request.mode === 'navigate' && /^\/runs\/[^/]+$/.test(url.pathname)) {
        cached = await cache.match(RUN_SHELL);
      }
      if (!cached) throw offline;
      // A cached response keeps the address it was stored under, and a worker's `location` is
      // its script response's address: answer with a copy that has none, so the request's own
      // address (with its query string) stands.
      return new Response(cached.body, {
        status: cached.status,
        statusText: cached.statusText,
        headers: cached.headers,
      });
    }
  })());
});
