//! The benchmark's figures as the Markdown tables `docs/benchmarks.md` takes.

use super::{ComparisonTiming, Observed, Report};

pub fn print(backend: &str, queue: &str, think_ms: u64, report: &Report) {
    println!(
        "| backend | provinces | orgs | checklists | answers | setup s | full rescore + roll-up s | peak RSS MB |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- | --- |");
    println!(
        "| {backend} | {} | {} | {} | {} | {:.1} | {:.2} | {} |",
        report.provinces,
        report.orgs,
        report.assignments,
        report.answers,
        report.setup_seconds,
        report.rescore_seconds,
        report.peak_rss_mb.map_or("-".into(), |m| format!("{m:.0}"))
    );
    if let Some(f) = &report.freshness {
        println!();
        println!(
            "| backend | queue | submissions | per second | p50 ms | p95 ms | p99 ms | max ms | missing |"
        );
        println!("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        println!(
            "| {backend} | {queue} | {} | {} | {:.1} | {:.1} | {:.1} | {:.1} | {} |",
            f.submissions, f.rate_per_second, f.p50_ms, f.p95_ms, f.p99_ms, f.max_ms, f.missing
        );
    }
    print_comparisons(backend, &report.comparisons);
    print_load(backend, queue, think_ms, &report.load);
}

fn print_comparisons(backend: &str, timings: &[ComparisonTiming]) {
    if timings.is_empty() {
        return;
    }
    println!();
    println!("| backend | region | children | requests | p50 ms | p95 ms | p99 ms | max ms |");
    println!("| --- | --- | --- | --- | --- | --- | --- | --- |");
    for t in timings {
        println!(
            "| {backend} | {} | {} | {} | {:.1} | {:.1} | {:.1} | {:.1} |",
            t.region, t.children, t.requests, t.p50_ms, t.p95_ms, t.p99_ms, t.max_ms
        );
    }
}

fn print_load(backend: &str, queue: &str, think_ms: u64, observed: &[Observed]) {
    if observed.is_empty() {
        return;
    }
    println!();
    println!(
        "| backend | queue | users | think ms | requests | per second | errors | socket errors | p50 ms | p95 ms | p99 ms | max ms |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    for o in observed {
        println!(
            "| {backend} | {queue} | {} {} | {think_ms} | {} | {:.0} | {} | {} | {:.1} | {:.1} | {:.1} | {:.1} |",
            o.users,
            o.kind,
            o.requests,
            o.per_second,
            o.errors,
            o.socket_errors,
            o.p50_ms,
            o.p95_ms,
            o.p99_ms,
            o.max_ms
        );
        if let Some(e) = &o.first_error {
            println!("first {} error: {e}", o.kind);
        }
    }
}
