import type { FlowEvent } from '../../domain/events';
import { argusDecoder } from './argus';
import { decodeContent, docsOf, rejectionsOf } from './testSupport';

const CSV_HEADER = 'StartTime,Dur,Proto,SrcAddr,Sport,Dir,DstAddr,Dport,State,sTos,dTos,TotPkts,TotBytes,SrcBytes,SrcPkts,Label';
// Rows from Stratosphere's test2-malicious.binetflow and test5-mixed.binetflow.
const UDP_ROW = '2019/04/04 16:23:00.325010,0.027947,udp,10.8.0.69,48427,  <->,8.8.8.8,53,CON,0,0,2,142,63,1,';
const ICMP_ROW = '2019/04/04 16:23:07.963960,0.000000,icmp,10.8.0.69,0x0008,   ->,192.168.170.1,0x7208,ECO,0,,1,72,72,1,';

describe('argus decoder', () => {
  it('reads a comma-separated binetflow row, deriving the destination side from the totals', async () => {
    const [doc] = docsOf(await decodeContent(argusDecoder, 'flow', `${CSV_HEADER}\n${UDP_ROW}\n`)) as FlowEvent[];
    expect(doc).toMatchObject({
      '@timestamp': '2019-04-04T16:23:00.325Z',
      event: { duration: 27_947_000, action: 'CON' },
      source: { ip: '10.8.0.69', port: 48427, bytes: 63, packets: 1 },
      destination: { ip: '8.8.8.8', port: 53, bytes: 79, packets: 1 },
      network: { transport: 'udp', iana_number: '17', bytes: 142, packets: 2 },
      spothreat: { format: 'argus', record: 2 },
    });
    expect(doc.spothreat.label).toBeUndefined();
  });

  it('reads the tab-separated variant and its labels', async () => {
    const header = CSV_HEADER.replace(/,/g, '\t');
    const row = '1970/01/01 01:01:21.896998\t0.064640\tudp\t10.0.2.15\t56218\t  <->\t8.8.8.8\t53\tCON\t0\t0\t2\t158\t71\t1\tflow=Malware-UDP-DNS';
    const [doc] = docsOf(await decodeContent(argusDecoder, 'flow', `${header}\n${row}\n`)) as FlowEvent[];
    expect(doc.spothreat.label).toBe('flow=Malware-UDP-DNS');
    expect(doc.source).toEqual({ ip: '10.0.2.15', port: 56218, bytes: 71, packets: 1 });
  });

  it('reads hex ICMP type/code ports as numbers', async () => {
    const [doc] = docsOf(await decodeContent(argusDecoder, 'flow', `${CSV_HEADER}\n${ICMP_ROW}\n`)) as FlowEvent[];
    expect([doc.source.port, doc.destination.port]).toEqual([0x0008, 0x7208]);
  });

  it('rejects ARP records, which carry no IP flow, and impossible byte counts', async () => {
    const arp = '1970/01/01 01:00:08.156845,3554.205811,arp,10.0.2.15,,  who,10.0.2.2,,CON,,,22,924,462,11,flow=Background-ARP';
    const impossible = UDP_ROW.replace(',2,142,63,1,', ',2,142,200,1,');
    const rejected = rejectionsOf(await decodeContent(argusDecoder, 'flow', `${CSV_HEADER}\n${arp}\n${impossible}\n`));
    expect(rejected.map((r) => r.reason)).toEqual([
      'line 2: protocol "arp" is not IP (source "10.0.2.15"): no IP flow to record',
      'line 3: SrcBytes 200 exceeds TotBytes 142',
    ]);
  });

  it('refuses a file without the binetflow header', async () => {
    await expect(decodeContent(argusDecoder, 'flow', `${UDP_ROW}\n`)).rejects.toThrow(/line 1: not an Argus binetflow file/);
  });
});
