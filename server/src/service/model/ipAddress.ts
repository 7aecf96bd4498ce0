// node:net's address tests, loaded on first use: loading node:net (and the streams it brings) is a
// noticeable part of a short CLI run, and most trees have no address to test.
type Net = typeof import('node:net');

let net: Net | undefined;

// eslint-disable-next-line @typescript-eslint/no-require-imports
const loadNet = (): Net => (net ??= require('node:net') as Net);

/** 4 or 6 for an IPv4 or IPv6 address, 0 for anything else (node:net's isIP). */
export const isIP = (address: string): number => loadNet().isIP(address);
export const isIPv4 = (address: string): boolean => loadNet().isIPv4(address);
export const isIPv6 = (address: string): boolean => loadNet().isIPv6(address);
