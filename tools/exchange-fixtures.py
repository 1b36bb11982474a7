#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write the Exchange message tracking fixtures from scripted stories.

Usage: exchange-fixtures.py [FOLDER]

Writes MSGTRK-2019.LOG, MSGTRK-2010.LOG and fields-change.LOG into FOLDER
(default: fixtures/exchange beside this script's folder) as Exchange
writes them: UTF-8 with a byte order mark, CRLF line ends, the five "#"
header lines and RFC 4180 quoting.  The ground truth beside each log,
NAME.expected.json, is written by hand from the story in the comments
here, so change both together.  Every name and address is
reserved for documentation.
"""
import csv
import io
import os
import sys

F2013 = ("date-time,client-ip,client-hostname,server-ip,server-hostname,"
         "source-context,connector-id,source,event-id,internal-message-id,"
         "message-id,network-message-id,recipient-address,recipient-status,"
         "total-bytes,recipient-count,related-recipient-address,reference,"
         "message-subject,sender-address,return-path,message-info,"
         "directionality,tenant-id,original-client-ip,original-server-ip,"
         "custom-data,transport-traffic-type,log-id,schema-version").split(",")
F2010 = [f for f in F2013 if f not in ("network-message-id",
         "transport-traffic-type", "log-id", "schema-version")]
assert len(F2013) == 30
assert len(F2010) == 26


def header(version, fields, date):
    """Return the five header lines of a message tracking log."""
    return ["#Software: Microsoft Exchange Server",
            f"#Version: {version}",
            "#Log-type: Message Tracking Log",
            f"#Date: {date}",
            "#Fields: " + ",".join(fields)]


def row(fields, **kv):
    """Return one CSV row; keyword names are column names with "_"."""
    vals = []
    for f in fields:
        key = f.replace("-", "_")
        vals.append(kv.pop(key, ""))
    assert not kv, kv
    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow(vals)
    return buf.getvalue()


def write(path, lines, bom=True):
    """Write lines with CRLF ends, after a byte order mark."""
    data = "\r\n".join(lines) + "\r\n"
    with open(path, "wb") as f:
        f.write((b"\xef\xbb\xbf" if bom else b"") + data.encode("utf-8"))


def write_2019(folder):
    F = F2013
    V = "15.02.1544.004"
    common = dict(schema_version=V, transport_traffic_type="Email")
    L = header(V, F, "2024-05-06T08:00:00.000Z")

    def r(**kv):
        d = dict(common); d.update(kv)
        return row(F, **d)

    # Message 1001: inbound invoice for alice (delivered) and nobody (unknown).
    m1 = dict(internal_message_id="41231", message_id="<inv0117@mail.example.org>",
              network_message_id="7f1e2d3c-0001-4a5b-8c9d-08dc6d9a5b1c",
              message_subject="Invoice 2024-0117, overdue",
              sender_address="billing@example.org", return_path="billing@example.org",
              directionality="Incoming", server_hostname="MBX01")
    L.append(r(date_time="2024-05-06T08:12:01.123Z", client_ip="198.51.100.25",
               client_hostname="mail.example.org", server_ip="192.0.2.5",
               source_context="08DC6D9A5B1C2E3F;2024-05-06T08:12:00.902Z;0",
               connector_id="MBX01\\Default MBX01", source="SMTP", event_id="RECEIVE",
               recipient_address="alice@example.com;nobody@example.com",
               total_bytes="48213", recipient_count="2", message_info="04I:",
               original_client_ip="198.51.100.25", original_server_ip="192.0.2.5",
               custom_data="S:FirstForestHop=MBX01.example.com;S:FromEntity=Internet",
               log_id="d1b9930c-6cbc-b072-8466-328f214b99c0", **m1))
    L.append(r(date_time="2024-05-06T08:12:01.140Z", source="AGENT", event_id="AGENTINFO",
               recipient_address="alice@example.com;nobody@example.com",
               recipient_count="2", custom_data="S:CompCost=|AMA=0|ETR=0;S:DeliveryPriority=Normal",
               log_id="0a0b0c0d-0000-0000-0000-000000000001", **m1))
    L.append(r(date_time="2024-05-06T08:12:01.301Z", source="ROUTING", event_id="FAIL",
               recipient_address="nobody@example.com",
               recipient_status="550 5.1.1 RESOLVER.ADR.RecipNotFound; not found",
               total_bytes="48213", recipient_count="1",
               reference="<ndr1001@MBX01.example.com>",
               message_info="2024-05-06T08:12:00.902Z;SRV=MBX01.example.com:TOTAL-HUB=0.399|SMR=0.187|CAT=0.212",
               log_id="0a0b0c0d-0000-0000-0000-000000000002", **m1))
    L.append(r(date_time="2024-05-06T08:12:01.322Z", server_hostname="MBX01", source="DSN",
               event_id="DSN", internal_message_id="41232",
               message_id="<ndr1001@MBX01.example.com>",
               recipient_address="billing@example.org", total_bytes="52401",
               recipient_count="1", reference="<inv0117@mail.example.org>",
               message_subject="Undeliverable: Invoice 2024-0117, overdue",
               sender_address="MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@example.com",
               return_path="<>", directionality="Originating",
               log_id="0a0b0c0d-0000-0000-0000-000000000003"))
    L.append(r(date_time="2024-05-06T08:12:02.845Z", client_ip="192.0.2.5",
               client_hostname="MBX01.example.com", server_ip="192.0.2.5",
               source_context="MDB:3c2b1a09-1111-2222-3333-444455556666, Mailbox:aa11bb22-cc33-dd44-ee55-ff6677889900, Event:1048577, MessageClass:IPM.Note, ClientType:StoreDriver",
               source="STOREDRIVER", event_id="DELIVER",
               recipient_address="alice@example.com", recipient_status="250 2.1.5 Recipient OK",
               total_bytes="48213", recipient_count="1",
               log_id="0a0b0c0d-0000-0000-0000-000000000004", **m1))

    # Message 1002: bob's meeting notes to carol and dave (sent) and erin
    # (deferred twice, then expired in the queue).
    m2 = dict(internal_message_id="41300", message_id="<notes42@MBX01.example.com>",
              message_subject='Meeting notes "draft"', sender_address="bob@example.com",
              return_path="bob@example.com", directionality="Originating",
              server_hostname="MBX01")
    L.append(r(date_time="2024-05-06T09:00:00.001Z", source="STOREDRIVER", event_id="SUBMIT",
               source_context="MDB:3c2b1a09-1111-2222-3333-444455556666, Mailbox:bb, Event:77, MessageClass:IPM.Note",
               log_id="0a0b0c0d-0000-0000-0000-000000000005", **m2))
    L.append(r(date_time="2024-05-06T09:00:00.210Z", source="STOREDRIVER", event_id="RECEIVE",
               recipient_address="carol@example.net;dave@example.net;erin@example.org",
               recipient_status="To;To;Cc", total_bytes="10422", recipient_count="3",
               log_id="0a0b0c0d-0000-0000-0000-000000000006", **m2))
    L.append(r(date_time="2024-05-06T09:00:01.500Z", client_ip="192.0.2.5",
               client_hostname="MBX01", server_ip="198.51.100.30",
               **{k: v for k, v in m2.items() if k != "server_hostname"},
               server_hostname="mx.example.net",
               source_context=";250 2.0.0OK 1714990830 q12si;ClientSubmitTime:2024-05-06T09:00:00.000Z",
               connector_id="Internet Send Connector", source="SMTP", event_id="SEND",
               recipient_address="carol@example.net;dave@example.net",
               recipient_status="250 2.1.5Recipient OK;250 2.1.5Recipient OK",
               total_bytes="10422", recipient_count="2",
               custom_data="S:E2ELatency=1.499;S:IsSmtpResponseFromExternalServer=True",
               log_id="0a0b0c0d-0000-0000-0000-000000000007"))
    defer_text = ('451 4.4.0 Primary target IP address responded with: "421 4.4.2 '
                  'Connection dropped due to SocketError." Attempted failover to '
                  'alternate host, but that did not succeed. Either there are no '
                  'alternate hosts, or delivery failed to all alternate hosts. The '
                  'last endpoint attempted was 203.0.113.25:25')
    for t, lid in (("2024-05-06T09:10:02.000Z", "08"), ("2024-05-06T10:10:02.000Z", "09")):
        L.append(r(date_time=t, connector_id="Internet Send Connector", source="SMTP",
                   event_id="DEFER", recipient_address="erin@example.org",
                   recipient_status=defer_text, total_bytes="10422", recipient_count="1",
                   log_id="0a0b0c0d-0000-0000-0000-0000000000" + lid, **m2))
    L.append(r(date_time="2024-05-08T09:00:12.410Z", source="QUEUE", event_id="FAIL",
               recipient_address="erin@example.org",
               recipient_status="550 4.4.7 QUEUE.Expired; message expired",
               total_bytes="10422", recipient_count="1",
               reference="<ndr1002@MBX01.example.com>",
               log_id="0a0b0c0d-0000-0000-0000-000000000010", **m2))
    L.append(r(date_time="2024-05-08T09:00:12.433Z", server_hostname="MBX01", source="DSN",
               event_id="DSN", internal_message_id="41301",
               message_id="<ndr1002@MBX01.example.com>", recipient_address="bob@example.com",
               total_bytes="12000", recipient_count="1", reference="<notes42@MBX01.example.com>",
               message_subject='Undeliverable: Meeting notes "draft"',
               sender_address="MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@example.com",
               return_path="<>", directionality="Originating",
               log_id="0a0b0c0d-0000-0000-0000-000000000011"))

    # Message 1003: a newsletter for frank (delivered), ghost and henry (both
    # unknown, one FAIL row whose statuses contain "; " themselves).
    m3 = dict(internal_message_id="41400", message_id="<news-77@lists.example.org>",
              message_subject="Weekly news, issue 77", sender_address="news@lists.example.org",
              return_path="bounce-77@lists.example.org", directionality="Incoming",
              server_hostname="MBX01")
    L.append(r(date_time="2024-05-06T11:00:00.000Z", client_ip="198.51.100.7",
               client_hostname="out.lists.example.org", server_ip="192.0.2.5",
               source_context="08DC6DB1F00D0001;2024-05-06T10:59:59.000Z;0",
               connector_id="MBX01\\Default MBX01", source="SMTP", event_id="RECEIVE",
               recipient_address="frank@example.com;ghost@example.com;henry@example.com",
               total_bytes="2048", recipient_count="3",
               log_id="0a0b0c0d-0000-0000-0000-000000000012", **m3))
    nf = "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup"
    L.append(r(date_time="2024-05-06T11:00:00.300Z", source="ROUTING", event_id="FAIL",
               recipient_address="ghost@example.com;henry@example.com",
               recipient_status=nf + ";" + nf, total_bytes="2048", recipient_count="2",
               reference="<ndr1003@MBX01.example.com>",
               log_id="0a0b0c0d-0000-0000-0000-000000000013", **m3))
    L.append(r(date_time="2024-05-06T11:00:00.320Z", server_hostname="MBX01", source="DSN",
               event_id="DSN", internal_message_id="41401",
               message_id="<ndr1003@MBX01.example.com>",
               recipient_address="bounce-77@lists.example.org", total_bytes="4100",
               recipient_count="1", reference="<news-77@lists.example.org>",
               message_subject="Undeliverable: Weekly news, issue 77",
               sender_address="MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@example.com",
               return_path="<>", directionality="Originating",
               log_id="0a0b0c0d-0000-0000-0000-000000000014"))
    L.append(r(date_time="2024-05-06T11:00:01.000Z", client_ip="192.0.2.5", server_ip="192.0.2.5",
               source="STOREDRIVER", event_id="DELIVER", recipient_address="frank@example.com",
               recipient_status="250 2.1.5 Recipient OK", total_bytes="2048", recipient_count="1",
               log_id="0a0b0c0d-0000-0000-0000-000000000015", **m3))

    # Message 1004: bob writes to a domain that does not exist.
    m4 = dict(internal_message_id="41500", message_id="<typo1@MBX01.example.com>",
              message_subject="Re: Order #4471", sender_address="bob@example.com",
              return_path="bob@example.com", directionality="Originating",
              server_hostname="MBX01")
    L.append(r(date_time="2024-05-06T12:00:00.000Z", connector_id="Internet Send Connector",
               source="SMTP", event_id="FAIL", recipient_address="ivan@no-such-host.example.net",
               recipient_status="554 5.4.4 SMTPSEND.DNS.NonExistentDomain; nonexistent domain",
               total_bytes="4100", recipient_count="1", reference="<ndr1004@MBX01.example.com>",
               log_id="0a0b0c0d-0000-0000-0000-000000000016", **m4))
    L.append(r(date_time="2024-05-06T12:00:00.020Z", server_hostname="MBX01", source="DSN",
               event_id="DSN", internal_message_id="41501",
               message_id="<ndr1004@MBX01.example.com>", recipient_address="bob@example.com",
               total_bytes="6100", recipient_count="1", reference="<typo1@MBX01.example.com>",
               message_subject="Undeliverable: Re: Order #4471",
               sender_address="MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@example.com",
               return_path="<>", directionality="Originating",
               log_id="0a0b0c0d-0000-0000-0000-000000000017"))

    # Message 1005: kate's mailbox is full (no DSN row is logged for it here).
    L.append(r(date_time="2024-05-06T13:00:00.000Z", server_hostname="MBX01", source="STOREDRIVER",
               event_id="FAIL", internal_message_id="41600", message_id="<big@example.org>",
               recipient_address="kate@example.com",
               recipient_status="554 5.2.2 mailbox full; STOREDRV.Deliver.Exception:QuotaExceededException.MapiExceptionShutoffQuotaExceeded; Failed to process message due to a permanent exception with message [BeginDiagnosticData]Cannot open mailbox.[EndDiagnosticData]",
               total_bytes="9000000", recipient_count="1", message_subject="Scans",
               sender_address="judy@example.org", return_path="judy@example.org",
               directionality="Incoming", log_id="0a0b0c0d-0000-0000-0000-000000000018"))

    # Message 1006: a bounce from outside (null sender) reaches leo through a
    # distribution group: expanded, redirected, transferred, delivered.
    m6 = dict(internal_message_id="41700", message_id="<dsn-9@mx.example.net>",
              message_subject="Delivery Status Notification (Failure)",
              sender_address="<>", return_path="<>", directionality="Incoming",
              server_hostname="MBX01")
    L.append(r(date_time="2024-05-06T14:00:00.000Z", source="ROUTING", event_id="EXPAND",
               recipient_address="leo@example.com", related_recipient_address="sales@example.com",
               recipient_count="1", log_id="0a0b0c0d-0000-0000-0000-000000000019", **m6))
    L.append(r(date_time="2024-05-06T14:00:00.010Z", source="ROUTING", event_id="REDIRECT",
               recipient_address="leo@example.com", related_recipient_address="leo.old@example.com",
               recipient_count="1", log_id="0a0b0c0d-0000-0000-0000-000000000020", **m6))
    L.append(r(date_time="2024-05-06T14:00:00.020Z", source="ROUTING", event_id="TRANSFER",
               recipient_address="leo@example.com", recipient_count="1",
               log_id="0a0b0c0d-0000-0000-0000-000000000021", **m6))
    L.append(r(date_time="2024-05-06T14:00:00.500Z", client_ip="192.0.2.5", server_ip="192.0.2.5",
               source="STOREDRIVER", event_id="DELIVER", recipient_address="leo@example.com",
               recipient_status="250 2.1.5 Recipient OK", total_bytes="3000", recipient_count="1",
               log_id="0a0b0c0d-0000-0000-0000-000000000022", **m6))

    # Message 1007: a remote server refuses bob's mail (a reply with a comma).
    L.append(r(date_time="2024-05-06T15:00:00.000Z", client_ip="192.0.2.5", client_hostname="MBX01",
               server_ip="198.51.100.40", server_hostname="mx.example.org",
               connector_id="Internet Send Connector", source="SMTP", event_id="FAIL",
               internal_message_id="41800", message_id="<hello@MBX01.example.com>",
               recipient_address="mia@example.org",
               recipient_status="550 5.7.1 Service unavailable, Client host [192.0.2.5] blocked using zen.example.org",
               total_bytes="1500", recipient_count="1", message_subject="Hello",
               sender_address="bob@example.com", return_path="bob@example.com",
               directionality="Originating", log_id="0a0b0c0d-0000-0000-0000-000000000023"))

    # Noise and failure flavours that are not bounces.
    L.append(r(date_time="2024-05-06T16:00:00.000Z", server_hostname="MBX01", source="SMTP",
               event_id="HAREDIRECTFAIL", internal_message_id="41900", message_id="<x1@example.org>",
               recipient_address="alice@example.com",
               recipient_status="No suitable shadow servers", recipient_count="1",
               log_id="0a0b0c0d-0000-0000-0000-000000000024"))
    L.append(r(date_time="2024-05-06T16:00:01.000Z", server_hostname="MBX01", source="AGENT",
               event_id="DROP", internal_message_id="41901", message_id="<spam@example.net>",
               recipient_address="alice@example.com", recipient_count="1",
               log_id="0a0b0c0d-0000-0000-0000-000000000025"))
    L.append(r(date_time="2024-05-06T16:00:02.000Z", server_hostname="MBX01", source="POISONMESSAGE",
               event_id="POISONMESSAGE", internal_message_id="41902", message_id="<crash@example.net>",
               recipient_address="alice@example.com", recipient_count="1",
               log_id="0a0b0c0d-0000-0000-0000-000000000026"))

    # A row cut short in the middle of a write: 14 fields instead of 30.
    L.append("2024-05-06T17:00:00.000Z,,,,MBX01,,,ROUTING,FAIL,42000,<cut@example.org>,,cut@example.com,550 5.1.1 RESOLVER.ADR.RecipNotFound")

    write(os.path.join(folder, "MSGTRK-2019.LOG"), L)


def write_2010(folder):
    F = F2010
    V = "14.03.0123.003"
    L = header(V, F, "2024-03-04T00:00:00.000Z")

    def r(**kv):
        return row(F, **kv)

    # Message 2001: partner writes to amy, ben and cat; cat's store is busy.
    m1 = dict(internal_message_id="9001", message_id="<p-1@mail.example.net>",
              message_subject="Contract, final version", sender_address="partner@example.net",
              return_path="partner@example.net", directionality="Incoming",
              server_hostname="HUB01")
    L.append(r(date_time="2024-03-04T10:00:00.100Z", client_ip="198.51.100.60",
               client_hostname="mail.example.net", server_ip="192.0.2.10",
               source_context="08CC1A2B3C4D5E6F;2024-03-04T10:00:00.000Z;0",
               connector_id="HUB01\\Default HUB01", source="SMTP", event_id="RECEIVE",
               recipient_address="amy@example.com;ben@example.com;cat@example.com",
               total_bytes="20480", recipient_count="3", **m1))
    L.append(r(date_time="2024-03-04T10:00:01.000Z", client_ip="192.0.2.10", server_ip="192.0.2.11",
               **{k: v for k, v in m1.items() if k != "server_hostname"},
               server_hostname="MBX02", source="STOREDRIVER", event_id="DELIVER",
               recipient_address="amy@example.com;ben@example.com",
               recipient_status="250 2.1.5 Recipient OK;250 2.1.5 Recipient OK",
               total_bytes="20480", recipient_count="2"))
    L.append(r(date_time="2024-03-04T10:00:01.200Z", source="STOREDRIVER", event_id="DEFER",
               recipient_address="cat@example.com",
               recipient_status="432 4.3.2 STOREDRV.Deliver; recipient thread limit exceeded",
               total_bytes="20480", recipient_count="1", **m1))
    L.append(r(date_time="2024-03-04T10:05:01.000Z", client_ip="192.0.2.10", server_ip="192.0.2.11",
               **{k: v for k, v in m1.items() if k != "server_hostname"},
               server_hostname="MBX02", source="STOREDRIVER", event_id="DELIVER",
               recipient_address="cat@example.com", recipient_status="250 2.1.5 Recipient OK",
               total_bytes="20480", recipient_count="1"))

    # Message 2002: amy writes to dan (accepted) and eve (unknown there).
    m2 = dict(internal_message_id="9002", message_id="<a-7@HUB01.example.com>",
              message_subject="Lunch?", sender_address="amy@example.com",
              return_path="amy@example.com", directionality="Originating")
    L.append(r(date_time="2024-03-04T11:00:00.000Z", server_hostname="HUB01",
               source="STOREDRIVER", event_id="SUBMIT", **m2))
    L.append(r(date_time="2024-03-04T11:00:02.000Z", client_ip="192.0.2.10",
               client_hostname="HUB01", server_ip="198.51.100.50", server_hostname="mx.example.org",
               source_context="250 2.0.0 OK 1709550002 ab12", connector_id="To Internet",
               source="SMTP", event_id="SEND", recipient_address="dan@example.org",
               recipient_status="250 2.0.0 OK 1709550002 ab12", total_bytes="1200",
               recipient_count="1", **m2))
    L.append(r(date_time="2024-03-04T11:00:02.010Z", client_ip="192.0.2.10",
               client_hostname="HUB01", server_ip="198.51.100.50", server_hostname="mx.example.org",
               connector_id="To Internet", source="SMTP", event_id="FAIL",
               recipient_address="eve@example.org",
               recipient_status="550 5.1.1 <eve@example.org>: Recipient address rejected: User unknown in virtual mailbox table",
               total_bytes="1200", recipient_count="1", reference="<ndr-9002@HUB01.example.com>", **m2))
    L.append(r(date_time="2024-03-04T11:00:02.040Z", server_hostname="HUB01", source="DSN",
               event_id="DSN", internal_message_id="9003", message_id="<ndr-9002@HUB01.example.com>",
               recipient_address="amy@example.com", total_bytes="3100", recipient_count="1",
               reference="<a-7@HUB01.example.com>", message_subject="Undeliverable: Lunch?",
               sender_address="MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@example.com",
               return_path="<>", directionality="Originating"))

    # Message 2003: an outsider writes to a list that only takes internal mail.
    L.append(r(date_time="2024-03-04T12:00:00.000Z", server_hostname="HUB01", source="ROUTING",
               event_id="RESOLVE", internal_message_id="9004", message_id="<o-1@example.net>",
               recipient_address="allhands@example.com", related_recipient_address="everyone@example.com",
               recipient_count="1", message_subject="Offer", sender_address="outsider@example.net",
               return_path="outsider@example.net", directionality="Incoming"))
    L.append(r(date_time="2024-03-04T12:00:00.100Z", server_hostname="HUB01", source="ROUTING",
               event_id="FAIL", internal_message_id="9004", message_id="<o-1@example.net>",
               recipient_address="allhands@example.com",
               recipient_status="550 5.7.1 RESOLVER.RST.AuthRequired; authentication required",
               recipient_count="1", reference="<ndr-9004@HUB01.example.com>",
               message_subject="Offer", sender_address="outsider@example.net",
               return_path="outsider@example.net", directionality="Incoming"))
    L.append(r(date_time="2024-03-04T12:00:00.130Z", server_hostname="HUB01", source="DSN",
               event_id="DSN", internal_message_id="9005", message_id="<ndr-9004@HUB01.example.com>",
               recipient_address="outsider@example.net", total_bytes="2900", recipient_count="1",
               reference="<o-1@example.net>", message_subject="Undeliverable: Offer",
               sender_address="MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@example.com",
               return_path="<>", directionality="Originating"))

    # Message 2004: a DNS failure delays fay's mail; it goes out an hour later.
    m4 = dict(internal_message_id="9006", message_id="<b-3@HUB01.example.com>",
              message_subject="Report", sender_address="ben@example.com",
              return_path="ben@example.com", directionality="Originating")
    L.append(r(date_time="2024-03-04T13:00:00.000Z", server_hostname="HUB01",
               connector_id="To Internet", source="SMTP", event_id="DEFER",
               recipient_address="fay@example.net",
               recipient_status="451 4.4.0 DNS query failed. The error was: SMTPSEND.DNS.NonExistentDomain; nonexistent domain",
               total_bytes="800", recipient_count="1", **m4))
    L.append(r(date_time="2024-03-04T14:00:00.000Z", client_ip="192.0.2.10", client_hostname="HUB01",
               server_ip="198.51.100.61", server_hostname="mx.example.net",
               connector_id="To Internet", source="SMTP", event_id="SEND",
               recipient_address="fay@example.net", recipient_status="250 2.6.0 Queued mail for delivery",
               total_bytes="800", recipient_count="1", **m4))

    # Message 2005: gus and hal share one failing host; the DEFER row gives
    # one status for both recipients, and the message later expires.
    m5 = dict(internal_message_id="9007", message_id="<c-9@HUB01.example.com>",
              message_subject="Agenda", sender_address="cat@example.com",
              return_path="cat@example.com", directionality="Originating")
    L.append(r(date_time="2024-03-04T15:00:00.000Z", server_hostname="HUB01",
               connector_id="To Internet", source="SMTP", event_id="DEFER",
               recipient_address="gus@example.org;hal@example.org",
               recipient_status='441 4.4.1 Error encountered while communicating with primary target IP address: "Failed to connect. Winsock error code: 10060, Win32 error code: 10060." Attempted failover to alternate host, but that did not succeed. Either there are no alternate hosts, or delivery failed to all alternate hosts. The last endpoint attempted was 203.0.113.80:25',
               total_bytes="900", recipient_count="2", **m5))
    L.append(r(date_time="2024-03-04T15:00:00.050Z", server_hostname="HUB01", source="QUEUE",
               event_id="TRANSFER", recipient_address="gus@example.org;hal@example.org",
               recipient_count="2", **m5))
    L.append(r(date_time="2024-03-06T15:00:00.000Z", server_hostname="HUB01", source="QUEUE",
               event_id="FAIL", recipient_address="gus@example.org;hal@example.org",
               recipient_status="550 4.4.7 QUEUE.Expired; message expired;550 4.4.7 QUEUE.Expired; message expired",
               total_bytes="900", recipient_count="2", reference="<ndr-9007@HUB01.example.com>", **m5))
    L.append(r(date_time="2024-03-06T15:00:00.030Z", server_hostname="HUB01", source="DSN",
               event_id="DSN", internal_message_id="9008", message_id="<ndr-9007@HUB01.example.com>",
               recipient_address="cat@example.com", total_bytes="3300", recipient_count="1",
               reference="<c-9@HUB01.example.com>", message_subject="Undeliverable: Agenda",
               sender_address="MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@example.com",
               return_path="<>", directionality="Originating"))

    # A message that crashed the transport service twice is put aside.
    L.append(r(date_time="2024-03-06T16:00:00.000Z", server_hostname="HUB01", source="BADMAIL",
               event_id="BADMAIL", internal_message_id="9009", message_id="<bad@example.net>",
               recipient_address="amy@example.com", recipient_count="1",
               sender_address="odd@example.net", directionality="Incoming"))

    write(os.path.join(folder, "MSGTRK-2010.LOG"), L)


def write_fields_change(folder):
    # Part 1: an Exchange 2010 file.
    L = header("14.03.0123.003", F2010, "2024-04-01T00:00:00.000Z")
    L.append(row(F2010, date_time="2024-04-01T08:00:00.000Z", server_hostname="HUB01",
                 source="SMTP", event_id="RECEIVE", internal_message_id="100",
                 message_id="<one@example.net>", recipient_address="old@example.com",
                 recipient_count="1", sender_address="a@example.net"))
    L.append(row(F2010, date_time="2024-04-01T08:00:00.200Z", server_hostname="HUB01",
                 source="ROUTING", event_id="FAIL", internal_message_id="100",
                 message_id="<one@example.net>", recipient_address="old@example.com",
                 recipient_status="550 5.1.1 RESOLVER.ADR.RecipNotFound; not found",
                 recipient_count="1", sender_address="a@example.net"))

    # Part 2: the same server after its upgrade, appended with "cat": the
    # byte order mark and the whole header come again, with 30 columns.
    second = header("15.02.1544.004", F2013, "2024-04-02T00:00:00.000Z")
    second[0] = "\ufeff" + second[0]
    L += second
    L.append(row(F2013, date_time="2024-04-02T09:00:00.000Z", server_hostname="MBX01",
                 server_ip="192.0.2.5", source="STOREDRIVER", event_id="DELIVER",
                 internal_message_id="200", message_id="<two@example.net>",
                 network_message_id="11111111-2222-3333-4444-555555555555",
                 recipient_address="new1@example.com", recipient_status="250 2.1.5 Recipient OK",
                 recipient_count="1", sender_address="b@example.net",
                 transport_traffic_type="Email", schema_version="15.02.1544.004"))
    L.append(row(F2013, date_time="2024-04-02T09:00:01.000Z", server_hostname="MBX01",
                 source="SMTP", event_id="DEFER", connector_id="Internet Send Connector",
                 internal_message_id="201", message_id="<three@example.com>",
                 network_message_id="11111111-2222-3333-4444-555555555556",
                 recipient_address="new2@example.org",
                 recipient_status="452 4.3.1 Insufficient system resources",
                 recipient_count="1", sender_address="c@example.com",
                 transport_traffic_type="Email", schema_version="15.02.1544.004"))
    # A row still in the 26-column layout, after the 30-column #Fields line.
    L.append(row(F2010, date_time="2024-04-02T09:00:02.000Z", server_hostname="HUB01",
                 source="ROUTING", event_id="FAIL", internal_message_id="101",
                 message_id="<stale@example.net>", recipient_address="stale@example.com",
                 recipient_status="550 5.1.1 RESOLVER.ADR.RecipNotFound; not found",
                 recipient_count="1", sender_address="d@example.net"))

    # Part 3: a #Fields line alone, with its own column order.
    F3 = ("event-id,date-time,recipient-address,recipient-status,sender-address,"
          "internal-message-id,source,server-hostname").split(",")
    L.append("#Fields: " + ",".join(F3))
    L.append(row(F3, event_id="FAIL", date_time="2024-04-03T10:00:00.000Z",
                 recipient_address="x@example.org",
                 recipient_status="550 5.7.1 RESOLVER.RST.NotAuthorized; not authorized",
                 sender_address="e@example.com", internal_message_id="300", source="ROUTING",
                 server_hostname="MBX01"))
    L.append(row(F3, event_id="SEND", date_time="2024-04-03T10:00:01.000Z",
                 recipient_address="y@example.org", recipient_status="250 2.0.0 OK",
                 sender_address="e@example.com", internal_message_id="301", source="SMTP",
                 server_hostname="mx.example.org"))
    L.append(row(F3, event_id="DSN", date_time="2024-04-03T10:00:02.000Z",
                 recipient_address="e@example.com", sender_address="MicrosoftExchange@example.com",
                 internal_message_id="302", source="DSN", server_hostname="MBX01"))

    write(os.path.join(folder, "fields-change.LOG"), L)


def main(argv):
    folder = argv[1] if len(argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "fixtures",
        "exchange")
    write_2019(folder)
    write_2010(folder)
    write_fields_change(folder)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
