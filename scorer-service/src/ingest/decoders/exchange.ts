/**
 * When a DNS or web exchange happened and between whom: the client asked, the server answered. Builders
 * take it apart from the other fields so that a decoder can hand over one it built once (Zeek's
 * connection fields) without copying it into a new object per record.
 */
export interface Exchange {
  timestamp: string;
  clientIp: string;
  clientPort?: number;
  serverIp?: string;
  serverPort?: number;
}
