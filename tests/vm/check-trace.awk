# check-trace.awk — compare a gfntop trace recorded in a vm-tier guest with what the
# workload did. Usage: awk -v label=L -v want_tp=0|1 -v want_age=0|1 -v mmu_present=0|1
#                          -f check-trace.awk TRUTH TRACE
# Prints TAP lines ("ok - ..." / "not ok - ..."). Plain POSIX awk (no gawk extensions).

function hex(s,    v, i, c) {
	sub(/^0x/, "", s)
	v = 0
	for (i = 1; i <= length(s); i++) {
		c = index("0123456789abcdef", substr(tolower(s), i, 1))
		if (!c) return -1
		v = v * 16 + c - 1
	}
	return v
}
function kv(line, key,    n, i, f, p) {	# the value of key=value in a truth line
	n = split(line, f, " ")
	for (i = 1; i <= n; i++) { p = index(f[i], "="); if (substr(f[i], 1, p - 1) == key) return substr(f[i], p + 1) }
	return ""
}
function result(okay, what, detail) {
	print (okay ? "ok - " : "not ok - ") label ": " what
	if (!okay && detail != "") print "#   " detail
}

# ---- the truth ----
FNR == NR {
	if ($0 ~ /^vm_pid=/) vm_pid = kv($0, "vm_pid")
	else if ($1 == "slot") {
		id = kv($0, "id"); slot_base[id] = hex(kv($0, "base_gfn")); slot_hva[id] = hex(kv($0, "hva"))
		slot_pages[id] = kv($0, "npages"); nslots++
	} else if ($1 == "madvise") {
		n++
		m_slot[n] = kv($0, "slot"); m_hs[n] = kv($0, "hva_start"); m_he[n] = kv($0, "hva_end")
		m_gs[n] = kv($0, "gfn_start"); m_ge[n] = kv($0, "gfn_end")
	}
	next
}

# ---- the trace ----
FNR == 1 { nh = split($0, h, ","); for (i = 1; i <= nh; i++) c[h[i]] = i; next }
{
	split($0, f, ",")	# gfntop writes no quoted cells in these columns
	rows++
	op = f[c["op"]]; func_ = f[c["func"]]
	if (op == "lost") { lost += f[c["ret"]]; next }
	if (f[c["vm_pid"]] != vm_pid) next
	if (op == "notifier") {
		nh_s[f[c["iter_id"]]] = f[c["hva_start"]]; nh_e[f[c["iter_id"]]] = f[c["hva_end"]]; nf[f[c["iter_id"]]] = func_
		next
	}
	if (op == "tp_unmap_hva") { tp[f[c["hva_start"]] "-" f[c["hva_end"]]]++; next }
	if (op == "unmap" || op == "age" || op == "test_age") {
		k = func_ "|" f[c["slot"]] "|" f[c["gfn_start"]] "|" f[c["gfn_end"]]
		cnt[k]++; dur[k] = f[c["dur_ns"]]; ret[k] = f[c["ret"]]; iter[k] = f[c["iter_id"]]; asid[k] = f[c["as_id"]]
		if (op != "unmap") {
			na[op]++
			a_n++; a_op[a_n] = op; a_iter[a_n] = f[c["iter_id"]]; a_slot[a_n] = f[c["slot"]]
			a_gs[a_n] = f[c["gfn_start"]]; a_ge[a_n] = f[c["gfn_end"]]; a_dur[a_n] = f[c["dur_ns"]]
		}
	}
}

END {
	result(n > 0 && vm_pid != "", "the workload reported " n " madvised ranges", "truth file incomplete")
	bad_count = bad_field = bad_iter = 0
	for (i = 1; i <= n; i++) {
		k = "kvm_unmap_gfn_range|" m_slot[i] "|" m_gs[i] "|" m_ge[i]
		if (cnt[k] != 1) { bad_count++; if (!first_bad) first_bad = k " seen " (cnt[k] + 0) " times" ; continue }
		if (!(dur[k] > 0) || ret[k] != "0" || asid[k] != "0") { bad_field++; if (!first_field) first_field = k " dur=" dur[k] " ret=" ret[k] " as_id=" asid[k] }
		it = iter[k]
		if (it == "" || nh_s[it] != m_hs[i] || nh_e[it] != m_he[i]) { bad_iter++; if (!first_iter) first_iter = k " iter_id=" it " notifier hva=" nh_s[it] "-" nh_e[it] " want " m_hs[i] "-" m_he[i] }
	}
	result(bad_count == 0, "each madvised range has exactly one kvm_unmap_gfn_range row with its slot and gfn range, for the workload's vm_pid", first_bad)
	result(bad_field == 0, "those rows have as_id 0, dur_ns > 0 and ret 0 (no vCPU ever mapped the pages, so no flush)", first_field)
	result(bad_iter == 0, "each row's iter_id names a notifier row with exactly the madvised hva range", first_iter)

	# kvm_mmu_unmap_gfn_range: the notifier may call an inlined copy (6.8+ builds), never a mix
	mmu_min = 99; mmu_max = -1
	for (i = 1; i <= n; i++) {
		x = cnt["kvm_mmu_unmap_gfn_range|" m_slot[i] "|" m_gs[i] "|" m_ge[i]] + 0
		if (x < mmu_min) mmu_min = x
		if (x > mmu_max) mmu_max = x
	}
	result(mmu_min == mmu_max && mmu_max <= 1, "kvm_mmu_unmap_gfn_range: " mmu_max " row(s) per range, the same for every range", "between " mmu_min " and " mmu_max)
	print "# " label ": kvm_mmu_unmap_gfn_range " (mmu_max ? "fires on the notifier path" : \
		mmu_present ? "is attached but does not fire on the notifier path: the notifier calls an inlined copy" : \
		"is not in this kernel: the notifier calls kvm_unmap_gfn_range directly")

	if (want_tp) {
		bad_tp = 0
		for (i = 1; i <= n; i++) if (tp[m_hs[i] "-" m_he[i]] != 1) { bad_tp++; if (!first_tp) first_tp = m_hs[i] "-" m_he[i] " seen " (tp[m_hs[i] "-" m_he[i]] + 0) }
		result(bad_tp == 0, "each madvised range has exactly one tp_unmap_hva row", first_tp)
	}
	result(lost == 0, "nothing lost", lost " events lost")

	if (want_age) {
		result(na["age"] > 0 && na["test_age"] > 0, "DAMON aging produced age (" na["age"] + 0 ") and test_age (" na["test_age"] + 0 ") rows", "")
		bad_age = 0
		for (j = 1; j <= a_n; j++) {
			it = a_iter[j]; s = a_slot[j]
			want_f = a_op[j] == "age" ? "kvm_mmu_notifier_clear_(flush_)?young" : "kvm_mmu_notifier_test_young"
			gs = slot_base[s] + int((hex(nh_s[it]) - slot_hva[s]) / 4096)
			if (it == "" || nf[it] !~ "^" want_f "$" || hex(a_gs[j]) != gs || !(a_dur[j] > 0) ||
			    hex(a_ge[j]) <= hex(a_gs[j])) {
				bad_age++
				if (!first_age) first_age = a_op[j] " slot " s " gfn " a_gs[j] "-" a_ge[j] " iter " it " notifier " nf[it] " hva " nh_s[it]
			}
		}
		result(bad_age == 0, "every age/test_age row belongs to its notifier call and its gfn matches the notifier's hva in that slot", first_age)
	}
}
