// Where Bootstrap Italia finds its assets; set before its bundle loads (no inline scripts: see the CSP).
window.__PUBLIC_PATH__ = "/static/vendor/bootstrap-italia/fonts";
// Bootstrap Italia bundles video.js, which would inject a <style> element (blocked by the CSP).
window.VIDEOJS_NO_DYNAMIC_STYLE = true;
