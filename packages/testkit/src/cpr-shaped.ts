/**
 * A CPR number in a test's output: ten digits (or DDMMYY-SSSS) that are not part of a longer run of
 * hex digits, so a UUID or a hash that happens to hold ten digits in a row is not taken for one
 * (a plain /\d{10}/ made tests fail at random on BeskedIds).
 */
export const CPR_SHAPED = /(?<![\da-f])\d{6}-?\d{4}(?![\da-f])/i;
