/** Namespace URIs the envelope uses. Elements are matched on these, never on a prefix. */
export const NS_KUVERT = 'urn:oio:besked:kuvert:1.0';
export const NS_SAGDOK = 'urn:oio:sagdok:3.0.0';
export const NS_STS = 'urn:oio:sts:1.0.0';
/** Namespace of the `<Base64>` wrapper real deliveries put inside Beskeddata (note: not NS_KUVERT). */
export const NS_BASE64 = 'urn:besked:kuvert:1.0';
export const NS_XSI = 'http://www.w3.org/2001/XMLSchema-instance';
