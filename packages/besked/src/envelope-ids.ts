/** What the inbox needs from a message before it is parsed: its BeskedId and its person. */
export interface EnvelopeIds {
  /** As the CloudEvent writes it (UUID lower-case, URN as given); null when it cannot be read. */
  beskedId: string | null;
  /**
   * The first CPR number the envelope names: the ten digits of the first `urn:oio:cpr-nr:` ObjektId
   * of a RelateretObjekt or ObjektRegistrering in Filtreringsdata (document order); null when none.
   * Sensitive: callers hash it before it goes anywhere (see the inbox's person key).
   */
  cpr: string | null;
}
