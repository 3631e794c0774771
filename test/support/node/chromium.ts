/**
 * Headless Chromium from @sparticuz/chromium (the binary ships inside the npm
 * package), driven by playwright-core.
 */
import chromium from "@sparticuz/chromium";
import { chromium as playwright, type Browser } from "playwright-core";

/**
 * @sparticuz/chromium's flags are for AWS Lambda: they include
 * --disable-web-security, which turns CORS and the same-origin policy off (what
 * the browser tests rely on), and --single-process, where closing a page takes
 * the browser down.
 */
const DROPPED = ["--disable-web-security", "--single-process", "--allow-running-insecure-content", "--disable-site-isolation-trials"];

function browserArgs(): string[] {
  return chromium.args.filter((a) => !DROPPED.includes(a));
}

export async function launchChromium(): Promise<Browser> {
  return playwright.launch({ executablePath: await chromium.executablePath(), args: browserArgs(), headless: true });
}
