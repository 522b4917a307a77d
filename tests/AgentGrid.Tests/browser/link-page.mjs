// Opens the page from sign-in links (#key=…): each link's key is stored only after a confirmation that names its key
// and tenant, and never replaces the key in use unless the user agrees. Prints one JSON line with what it saw.
// Usage: node link-page.mjs <base-url> <key-in-use> <key-of-the-link>
import { launch } from "./page.mjs";

const [baseUrl, keyInUse, linkKey] = process.argv.slice(2);
const browser = await launch();

try {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  const questions = [];
  let agree = false;
  page.on("dialog", async (dialog) => {
    questions.push(dialog.message());
    await (agree ? dialog.accept() : dialog.dismiss());
  });
  const stored = () => page.evaluate(() => localStorage.getItem("agentgrid.key"));
  const whoami = () => page.locator("#whoami").textContent();
  const link = (n) => `${baseUrl}?link=${n}#key=${linkKey}`;

  // A first visit from a link, declined: nothing is stored and the sign-in dialog asks for a key.
  await page.goto(link(1));
  await page.waitForSelector("#signin[open]", { timeout: 20000 });
  const storedAfterDecline = await stored();
  await page.fill("#signin-key", keyInUse);
  await page.click("#signin-form button[type=submit]");
  await page.waitForSelector("body[data-ready=true]", { timeout: 20000 });
  const signedIn = await whoami();

  // A link while a key is in use, declined: the key in use stays.
  await page.goto(link(2));
  await page.waitForSelector("body[data-ready=true]", { timeout: 20000 });
  const afterSecondDecline = await whoami();
  const keptKey = (await stored()) === keyInUse;

  // The same link, accepted: its key is the one in use now.
  agree = true;
  await page.goto(link(3));
  await page.waitForSelector("body[data-ready=true]", { timeout: 20000 });
  const afterAccept = await whoami();
  const linkKeyStored = (await stored()) === linkKey;

  console.log(JSON.stringify({ questions, storedAfterDecline, signedIn, afterSecondDecline, keptKey, afterAccept, linkKeyStored, errors }));
} finally {
  await browser.close();
}
