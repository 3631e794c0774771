/**
 * Headless Chromium from @sparticuz/chromium (the binary ships inside the npm
 * package), driven by playwright-core.
 */
import chromium from "@sparticuz/chromium";
import { chromium as playwright, type Browser, type BrowserServer } from "playwright-core";

/**
 * @sparticuz/chromium's flags are for AWS Lambda: they include
 * --disable-web-security, which turns CORS and the same-origin policy off (what
 * the browser tests rely on), and --single-process, where closing a page takes
 * the browser down.
 */
const DROPPED = ["--disable-web-security", "--single-process", "--allow-running-insecure-content", "--disable-site-isolation-trials"];

async function launchOptions() {
  return { executablePath: await chromium.executablePath(), args: chromium.args.filter((a) => !DROPPED.includes(a)), headless: true };
}

export async function launchChromium(): Promise<Browser> {
  return playwright.launch(await launchOptions());
}

/** One Chromium that the run's browser test files connect to (test/support/node/browser-global-setup.ts). */
export async function launchChromiumServer(): Promise<BrowserServer> {
  return playwright.launchServer(await launchOptions());
}

/** A connection to the shared Chromium: its close() drops this file's contexts and disconnects, leaving the browser up. */
export function connectChromium(wsEndpoint: string): Promise<Browser> {
  return playwright.connect(wsEndpoint);
}
