// Types of money.js for the Worker's TypeScript (src/domain/currencies.ts).
export interface MoneyLike {
  amount: number;
  currency: string;
}
export declare const MINOR_UNITS: ReadonlyMap<string, number>;
export declare function minorUnits(currency: string): number | undefined;
export declare function majorUnits(money: MoneyLike): string;
export declare function formatMoney(money: MoneyLike | null | undefined, locale?: string): string;
