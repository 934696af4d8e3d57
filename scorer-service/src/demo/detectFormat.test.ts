import { detectFormat } from './detectFormat';

const text = (s: string) => Buffer.from(s, 'utf8');

describe('detectFormat', () => {
  it.each([
    ['a pcap', Buffer.from('d4c3b2a1020004000000', 'hex'), { dataType: 'dns', format: 'pcap' }],
    ['a pcapng', Buffer.from('0a0d0d0a1c000000', 'hex'), { dataType: 'dns', format: 'pcap' }],
    ['an nfcapd file', Buffer.from('0ca50100', 'hex'), { dataType: 'flow', format: 'nfcapd' }],
    ['a Zeek conn log', text('#separator \\x09\n#set_separator\t,\n#path\tconn\n#fields\tts\tuid\n'), { dataType: 'flow', format: 'zeek' }],
    ['a Zeek dns log', text('#separator \\x09\n#path\tdns\n'), { dataType: 'dns', format: 'zeek' }],
    ['a Zeek http log', text('#separator \\x09\n#path\thttp\n'), { dataType: 'proxy', format: 'zeek' }],
    ['a Zeek JSON dns log', text('{"ts":1.5,"id.orig_h":"10.0.0.1","query":"a.example"}\n'), { dataType: 'dns', format: 'zeek' }],
    ['a Zeek JSON conn log', text('{"ts":1.5,"id.orig_h":"10.0.0.1","proto":"tcp","conn_state":"SF"}\n'), { dataType: 'flow', format: 'zeek' }],
    ['an ECS flow', text('{"@timestamp":"2026-01-01T00:00:00Z","source":{"ip":"10.0.0.1"},"destination":{"ip":"10.0.0.2"}}\n'), { dataType: 'flow', format: 'ecs-json' }],
    ['an nfdump csv', text('ts,te,td,sa,da,sp,dp,pr,flg\n'), { dataType: 'flow', format: 'nfdump-csv' }],
    ['an Argus binetflow', text('StartTime,Dur,Proto,SrcAddr,Sport,Dir,DstAddr\n'), { dataType: 'flow', format: 'argus' }],
    ['a CSE-CIC-IDS2018 csv', text('Dst Port,Protocol,Timestamp,Flow Duration\n'), { dataType: 'flow', format: 'cicflowmeter' }],
    ['a CIC csv without addresses', text('Protocol,Flow Duration,Total Fwd Packets\n'), { dataType: 'flow', format: 'cicflowmeter' }],
    ['a Squid access log', text('1741651371.402    120 10.1.0.14 TCP_MISS/200 5120 GET http://a.example/ - HIER_DIRECT/1.2.3.4 text/html\n'), { dataType: 'proxy', format: 'squid' }],
    ['a Bluecoat log', text('#Software: SGOS 6.5\n#Fields: date time time-taken c-ip\n'), { dataType: 'proxy', format: 'bluecoat' }],
  ])('recognises %s', (_name, head, expected) => {
    expect(detectFormat(head)).toEqual(expected);
  });

  it('explains a Zeek log kind it does not score', () => {
    expect(detectFormat(text('#separator \\x09\n#path\tssh\n'))).toMatch(/ssh\.log/);
  });

  it('explains an unknown or empty file instead of guessing', () => {
    expect(detectFormat(text('hello world\n'))).toMatch(/no format/);
    expect(detectFormat(Buffer.alloc(0))).toBe('an empty file');
  });
});
