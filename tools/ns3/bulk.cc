// bulk.cc - ns-3 counterpart of tcpsim's configs/bench/bulk.ini, for a
// side-by-side speed comparison (issue 17).
//
// Two nodes joined by a point-to-point link of 1 Gbit/s with 10 ms one-way
// delay, no random loss; one 1000-packet drop-tail FIFO per direction at
// the device (netem's default limit) and no queue disc, so the congestion
// window's overshoot in slow start costs some drops. TCP is
// ns3::TcpCubic with 6 MiB send and receive buffers and 1448-byte segments
// (ns-3's defaults otherwise: SACK, timestamps, window scaling, delayed
// ACK every 2 segments, initial window 10). A BulkSendApplication sends
// N bytes (default 100 MB) in 1448-byte writes to a PacketSink; the run
// stops when the sink has received all N bytes. No pcap, no logging.
//
// Build and run (Debian 12: apt-get install libns3-dev), or use
// tools/ns3/bench_ns3.sh, which also times it:
//   M="ns3-core ns3-network ns3-internet ns3-point-to-point ns3-applications
//      ns3-traffic-control"
//   g++ -O2 -o bulk tools/ns3/bulk.cc $(pkg-config --cflags --libs $M)
//   ./bulk [bytes]
// Output: simulated transfer time (from t=0, handshake included), goodput,
// and the packets that crossed the link (data, ACKs, queue drops).
#include <cstdio>
#include <cstdlib>
#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/traffic-control-module.h"

using namespace ns3;

static uint64_t total, received, packets[2], drops;
static Time done;

static void
OnRx(Ptr<const Packet> p, const Address &)
{
    received += p->GetSize();
    if (received >= total && done.IsZero()) {
        done = Simulator::Now();
        Simulator::Stop();
    }
}

static void OnTx(int dir, Ptr<const Packet>) { packets[dir]++; }
static void OnDrop(Ptr<const Packet>) { drops++; }

int
main(int argc, char *argv[])
{
    total = argc > 1 ? strtoull(argv[1], nullptr, 10) : 100000000;

    Config::SetDefault("ns3::TcpL4Protocol::SocketType",
                       TypeIdValue(TcpCubic::GetTypeId()));
    Config::SetDefault("ns3::TcpSocket::SndBufSize", UintegerValue(6 << 20));
    Config::SetDefault("ns3::TcpSocket::RcvBufSize", UintegerValue(6 << 20));
    Config::SetDefault("ns3::TcpSocket::SegmentSize", UintegerValue(1448));

    NodeContainer nodes;
    nodes.Create(2);
    PointToPointHelper link;
    link.SetDeviceAttribute("DataRate", StringValue("1Gbps"));
    link.SetChannelAttribute("Delay", StringValue("10ms"));
    link.SetQueue("ns3::DropTailQueue", "MaxSize", StringValue("1000p"));
    NetDeviceContainer devs = link.Install(nodes);

    InternetStackHelper stack;
    stack.Install(nodes);
    Ipv4AddressHelper addr("10.0.0.0", "255.255.255.0");
    Ipv4InterfaceContainer ifs = addr.Assign(devs);
    TrafficControlHelper().Uninstall(devs); // no queue disc: the FIFO only

    const uint16_t port = 7777;
    BulkSendHelper send("ns3::TcpSocketFactory",
                        InetSocketAddress(ifs.GetAddress(1), port));
    send.SetAttribute("MaxBytes", UintegerValue(total));
    send.SetAttribute("SendSize", UintegerValue(1448));
    send.Install(nodes.Get(0)).Start(Seconds(0));
    PacketSinkHelper sink("ns3::TcpSocketFactory",
                          InetSocketAddress(Ipv4Address::GetAny(), port));
    ApplicationContainer sinks = sink.Install(nodes.Get(1));
    sinks.Start(Seconds(0));

    bool hooked = sinks.Get(0)->TraceConnectWithoutContext(
        "Rx", MakeCallback(&OnRx));
    for (int i = 0; i < 2; i++) {
        Ptr<PointToPointNetDevice> d =
            DynamicCast<PointToPointNetDevice>(devs.Get(i));
        hooked &= d->TraceConnectWithoutContext(
            "PhyTxEnd", MakeBoundCallback(&OnTx, i));
        hooked &= d->GetQueue()->TraceConnectWithoutContext(
            "Drop", MakeCallback(&OnDrop));
        // A full device queue stops its flow control, and the traffic
        // control layer then drops the packet: count those as drops too.
        hooked &= nodes.Get(i)->GetObject<TrafficControlLayer>()->
            TraceConnectWithoutContext("TcDrop", MakeCallback(&OnDrop));
    }
    NS_ABORT_MSG_UNLESS(hooked, "a trace source is missing");

    Simulator::Stop(Seconds(100000)); // a safety net; OnRx stops the run
    Simulator::Run();
    Simulator::Destroy();

    if (done.IsZero()) {
        fprintf(stderr, "bulk: the sink got only %llu of %llu bytes\n",
                (unsigned long long)received, (unsigned long long)total);
        return 1;
    }
    double s = done.GetSeconds();
    printf("bytes %llu  sim time %.6f s  goodput %.2f Mbit/s\n",
           (unsigned long long)total, s, total * 8 / s / 1e6);
    printf("packets %llu  (data %llu, acks %llu, drops %llu)\n",
           (unsigned long long)(packets[0] + packets[1]),
           (unsigned long long)packets[0], (unsigned long long)packets[1],
           (unsigned long long)drops);
    return 0;
}
