/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The checks' ids, default severities and explanations: a public table. */
#include <string.h>

#include "lint.h"

const struct check_def check_defs[CHK_COUNT] = {
	[CHK_PORT_PROTO_MISMATCH] = {
		"port-proto-mismatch", SEV_WARNING,
		"the port is registered for another protocol, not this one",
		"The rule opens a port on a protocol the registry does not assign it\n"
		"on, while another protocol has it: \"1001/udp: webpush is registered\n"
		"for tcp only\".  Most often the rule names the wrong protocol (udp\n"
		"for a tcp service), or a service that also needs the other one is\n"
		"opened on one only.  Reported for destination ports of rules that\n"
		"let traffic through (accept, jump, NAT), in any direction; this\n"
		"finding replaces port-reserved and port-unassigned for the port.\n"
		"Fix the protocol, or suppress it where the service really uses it.",
	},
	[CHK_PORT_RESERVED] = {
		"port-reserved", SEV_WARNING,
		"the port is reserved by IANA on every protocol",
		"IANA reserves the port (0, 1023, 1024 and the like) and assigns it on\n"
		"no protocol: no service is supposed to listen there.  Reported for\n"
		"destination ports of rules that let new traffic in or forward it\n"
		"(input, forward and prerouting, not rules limited to established\n"
		"or related traffic); a range of reserved ports is one finding.  Port\n"
		"0 is reported by port-invalid instead.",
	},
	[CHK_PORT_UNASSIGNED] = {
		"port-unassigned", SEV_NOTE,
		"the port is unassigned on every protocol",
		"No service is registered on the port on any protocol.  Plenty of\n"
		"software listens on unassigned ports (so this is a note), but an\n"
		"unassigned port in an inbound rule is worth a comment saying what\n"
		"listens there: a rule with a comment of its own (nft's comment\n"
		"\"...\", iptables' --comment), or a set element with one (\"30080\n"
		"comment \\\"web\\\"\", as kube-proxy writes its NodePorts), is not\n"
		"reported.  A '#' line is no such comment: it is gone once the\n"
		"ruleset is loaded.  Same conditions as port-reserved.",
	},
	[CHK_PORT_DYNAMIC] = {
		"port-dynamic", SEV_WARNING,
		"a listener inside the dynamic (client) port range",
		"The destination port is in 49152-65535, the range RFC 6335 leaves to\n"
		"the dynamic ports clients pick as their source (and with\n"
		"--ephemeral-range, in the host's own pool, Linux: 32768-60999):\n"
		"opened for new inbound connections or targeted by NAT, it collides\n"
		"with outgoing connections and is easy to mistake for reply traffic.\n"
		"Never reported for source ports, for rules limited to established or\n"
		"related traffic, or for destination ports in output chains.  Where\n"
		"dnat, redirect or tproxy sends the traffic to a port of its own, that\n"
		"port is the listener and is reported, not the port matched.",
	},
	[CHK_PORT_UNAUTHORIZED_USE] = {
		"port-unauthorized-use", SEV_NOTE,
		"the registry reports known unauthorized use of the port",
		"IANA notes that the port is known to be used without registration\n"
		"(often by malware, or by software that squatted it); the finding\n"
		"quotes the note.  A note: the operator's own service may be the\n"
		"one using it.  Same conditions as port-reserved, plus NAT targets;\n"
		"ranges count such ports in their range-wide finding instead.",
	},
	[CHK_PORT_DEASSIGNED] = {
		"port-deassigned", SEV_NOTE,
		"the service on the port is de-assigned, deprecated or historic",
		"The registry marks the assignment on the port as de-assigned,\n"
		"deprecated, historic or being removed (on the record of the service,\n"
		"or on the Reserved or Unassigned record that replaced it), with no\n"
		"live assignment beside it: the service the rule was written for may\n"
		"be gone, or the port may be handed to another one.",
	},
	[CHK_PORT_INVALID] = {
		"port-invalid", SEV_ERROR,
		"port 0 accepted as a destination, or a range that matches nothing",
		"Port 0 is not a port a connection can be made to; a rule accepting\n"
		"it as a destination, in any direction, is a mistake (often an empty\n"
		"variable).  A reversed range that the loader kept (iptables' udp\n"
		"match takes 10:5; nft lists \"dport >= 3000 dport <= 1023\" as\n"
		"3000-1023) matches no packet, whichever field it is on, and so do\n"
		"two matches of one port that no port passes both of (\"tcp dport\n"
		">= 60000 tcp dport <= 1023\", \"--dport 22 -m tcp --dport 23\"),\n"
		"and a header field of a protocol the rule's other matches exclude\n"
		"(\"tcp dport 22 meta l4proto udp\": nft loads it).",
	},
	[CHK_RANGE_WIDE] = {
		"range-wide", SEV_WARNING,
		"a port range spanning assigned, reserved and unassigned ports",
		"An inbound range covers assigned ports and ports of other classes:\n"
		"one finding sums it up (\"1000-2000/tcp: 689 assigned, 48 reserved,\n"
		"264 unassigned\") so that the rule's reach is seen before it is\n"
		"deployed.  A rule with a comment of its own says what the range is\n"
		"for and is not reported; a range with nothing assigned is reported\n"
		"by port-reserved or port-unassigned instead; source ranges never.",
	},
	[CHK_SERVICE_NAME_UNKNOWN] = {
		"service-name-unknown", SEV_WARNING,
		"a service name the IANA registry does not know",
		"The rule names its port by a name the registry lacks; it loads only\n"
		"because the system's services file has it, so it may fail or mean\n"
		"another port on a host whose services file differs.  Write the\n"
		"number.",
	},
	[CHK_SERVICE_NAME_NONPORTABLE] = {
		"service-name-nonportable", SEV_WARNING,
		"a service name that resolves differently by protocol or by host",
		"The name stands for different ports on different protocols, or\n"
		"IANA and the services file nft and iptables read at load time\n"
		"disagree on it: the port loaded depends on where the rule is\n"
		"loaded.  Write the number.",
	},
	[CHK_COMMENT_MISMATCH] = {
		"comment-mismatch", SEV_WARNING,
		"the rule's comment names a service its port is not",
		"The comment names a registered service (\"ssh\") and nothing in it\n"
		"names the rule's port (2222): either the comment is stale or the\n"
		"port is a typo.  A word names the port when the service is on it,\n"
		"when a service on the port is named like it (\"docker\" for\n"
		"docker-s on 2376), or when it is the port a dnat sends to; the\n"
		"port's number in the comment is enough too.  Common English words\n"
		"and protocol words (http, https, tcp, udp) are not read as names.\n"
		"A rule with a port range is not judged: a range is the data, media\n"
		"or relay ports a service opens beside its own (\"ftp passive\" on\n"
		"30000-31000, \"TURN relay ports\"), not the port it is known by.",
	},
	[CHK_SET_DUPLICATE] = {
		"set-duplicate", SEV_WARNING,
		"the same port twice in a set, map or multiport list",
		"An element is written twice: harmless to the kernel, but often a\n"
		"copy-paste where another port was meant.",
	},
	[CHK_SET_OVERLAP] = {
		"set-overlap", SEV_WARNING,
		"overlapping elements in a set, map or multiport list",
		"Two elements cover the same ports (80-90 and 85): one of them is\n"
		"redundant, or a range is wider than meant.",
	},
};

int check_from_id(const char *id)
{
	for (int i = 0; i < CHK_COUNT; i++)
		if (strcmp(check_defs[i].id, id) == 0)
			return i;
	return -1;
}

static const char *const severity_names[] = { "note", "warning", "error", "off" };

const char *severity_name(enum severity s)
{
	return s <= SEV_OFF ? severity_names[s] : "?";
}

int severity_from_name(const char *s)
{
	for (int i = 0; i <= SEV_OFF; i++)
		if (strcmp(severity_names[i], s) == 0)
			return i;
	return -1;
}
