// whatsapp-web.js uses the system Chromium (PUPPETEER_EXECUTABLE_PATH); never download a browser at install time.
module.exports = { skipDownload: true };
