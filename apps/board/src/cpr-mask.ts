// The one CPR masking of the product lives in @cprh/besked (also used by `cprh events tail`).
export { CPR_MASK, maskCprNumbers } from '@cprh/besked';
