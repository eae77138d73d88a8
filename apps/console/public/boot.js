// Runs before the console's bundle so the first paint has the right colour scheme and language.
// Keys match src/lib/preferences.ts.
(() => {
  try {
    const root = document.documentElement;
    let scheme = window.localStorage.getItem('kefu.color-scheme');
    if (scheme === 'auto') {
      scheme = window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
    }
    root.setAttribute('data-mantine-color-scheme', scheme === 'dark' ? 'dark' : 'light');
    const lang = window.localStorage.getItem('kefu.language');
    if (lang === 'zh-CN' || lang === 'en') root.setAttribute('lang', lang);
  } catch {
    // Storage can be disabled; the app falls back to its defaults.
  }
})();
