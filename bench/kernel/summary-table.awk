# SPDX-License-Identifier: GPL-2.0
#
# The table of summary.sh's lines: per figure and module ("before",
# "after"), the median over rounds at 10k, 100k and 1M, in null system
# calls where a time is meant to be read against the kernel's own
# speed, with issue 13's targets and the kdreg2 figures it quotes (QEMU
# TCG, one CPU, same kind of VM).

function median(key,    n, i, j, v, a) {
	n = count[key]
	if (!n)
		return ""
	for (i = 1; i <= n; i++)
		a[i] = vals[key, i]
	for (i = 2; i <= n; i++) {
		v = a[i]
		for (j = i - 1; j >= 1 && a[j] > v; j--)
			a[j + 1] = a[j]
		a[j + 1] = v
	}
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}

function add(key, v) {
	vals[key, ++count[key]] = v
}

$2 == "null" { add($1 SUBSEP "null", $3); mods[$1] = 1; next }
NF >= 4 {
	add($1 SUBSEP $2 SUBSEP $3, $4)
	if (NF >= 5)
		add($1 SUBSEP $2 SUBSEP $3 "-ratio", $5)
}

function cell(mod, n, fig,    v, r, null) {
	v = median(mod SUBSEP n SUBSEP fig)
	if (v == "")
		return sprintf("%22s", "-")
	null = median(mod SUBSEP "null")
	r = median(mod SUBSEP n SUBSEP fig "-ratio")
	if (fig == "bulk")
		return sprintf("%6.2f us %4.1f %7s", v / 1000, r, "")
	if (fig == "single" || fig == "hit" || fig == "miss")
		return sprintf("%6.2f us %4.1f %6.2fx", v / 1000, v / null, r)
	if (fig == "close")
		return sprintf("%13.3f s %6s", v / 1e9, "")
	if (fig == "memory")
		return sprintf("%15.0f B %4s", v, "")
	if (fig == "slothit")
		return sprintf("%20.2fx", v)
	if (fig == "check")
		return sprintf("%9.2f ns %7.4f", v, v / null)
	return sprintf("%22s", v)
}

END {
	nfig = split("bulk single close memory miss hit slothit check", fig, " ")
	split("bulk register (mean 0->N)|single register at N|close() with N|kernel memory per registration|miss (madvise, ratio: none)|hit cycle (madvise + read)|hit on a slot / no slot|generation check (1 load)", label, "|")
	split("<= 5 null|<= 4.5 null|<= 0.4 s|<= 128 B|<= 1.05x|no regression|<= 1.10x|one load", target, "|")
	split("2.7 us = 6.4 null (100k: 2.6 us)|grows 1.25-1.33x at 1M|0.47 s|132-134 B|-|12.8-13.5 us (ours 9.2-10.8)|-|one load", kdreg2, "|")
	nmod = 0
	if ("before" in mods)
		modlist[++nmod] = "before"
	if ("after" in mods)
		modlist[++nmod] = "after"
	printf("cells: median over rounds; us, then null system calls (getppid: ")
	for (m = 1; m <= nmod; m++)
		printf("%s%s %.0f ns", m > 1 ? ", " : "", modlist[m], median(modlist[m] SUBSEP "null"))
	printf("),\nthen the ratio (single: to an empty file; miss: to nothing registered; hit: to one registered);\n")
	printf("bulk: means, in null system calls timed between its chunks of 1000\n\n")
	printf("%-31s %-6s | %-22s | %-22s | %-22s | %-14s | %s\n", "figure", "module",
	       "10k", "100k", "1M", "target at 1M", "kdreg2 at 1M (issue 13)")
	for (f = 1; f <= nfig; f++)
		for (m = 1; m <= nmod; m++)
			printf("%-31s %-6s | %s | %s | %s | %-14s | %s\n", m == 1 ? label[f] : "",
			       modlist[m], cell(modlist[m], 10000, fig[f]),
			       cell(modlist[m], 100000, fig[f]), cell(modlist[m], 1000000, fig[f]),
			       m == 1 ? target[f] : "", m == 1 ? kdreg2[f] : "")
}
