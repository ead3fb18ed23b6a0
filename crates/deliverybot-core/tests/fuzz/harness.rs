use super::{MEMORY, SLOW};
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngSeed, TestRunner};
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::fmt::Debug;
use std::fs::File;
use std::io::{Seek, SeekFrom, Write};
use std::panic::{self, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex, Once};
use std::time::{Duration, Instant, SystemTime};

/// An input, and how to show it in a failure file.
pub trait Case: Clone + Debug + Send + 'static {
    fn dump(&self) -> String;
}

/// A text input, shown as it is.
#[derive(Clone, Debug)]
pub struct Text(pub String);

impl Case for Text {
    fn dump(&self) -> String {
        self.0.clone()
    }
}

/// An input that never returns is reported this long after the target's time is up.
const HANG: Duration = Duration::from_secs(30);

fn budget() -> Duration {
    let seconds = std::env::var("DELIVERYBOT_FUZZ_SECONDS").map(|s| s.trim().parse::<f64>().expect("DELIVERYBOT_FUZZ_SECONDS is a number of seconds"));
    Duration::from_secs_f64(seconds.unwrap_or(2.0))
}

fn seed() -> u64 {
    match std::env::var("DELIVERYBOT_FUZZ_SEED") {
        Ok(seed) => seed.trim().parse().expect("DELIVERYBOT_FUZZ_SEED is a number"),
        Err(_) => SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64),
    }
}

/// Draws inputs from the strategy `make` builds and checks each until the time is up. `check`
/// says where an input led (counted, and printed at the end) or what is wrong with it. The
/// inputs run on a thread of their own, so that one that never returns is still reported.
pub fn fuzz<T: Case, S: Strategy<Value = T>>(target: &'static str, make: impl FnOnce() -> S + Send + 'static, check: fn(&T) -> Result<String, String>) {
    let (budget, seed) = (budget(), seed());
    let running = Running::open(target, seed);
    let current: Arc<Mutex<Option<T>>> = Arc::default();
    let shared = Arc::clone(&current);
    let (done, result) = mpsc::channel();
    std::thread::Builder::new()
        .name(format!("fuzz-{target}"))
        .spawn(move || drop(done.send(draw(make(), check, seed, budget, &shared, running))))
        .expect("a thread");
    match result.recv_timeout(budget + HANG) {
        Ok(Ok(reached)) => {
            let count: u64 = reached.values().sum();
            println!("fuzz {target}: {count} inputs in {:.0} s ({:.0}/s), seed {seed}", budget.as_secs_f64(), count as f64 / budget.as_secs_f64().max(1e-9));
            for (label, n) in reached {
                println!("  {:>5.1}% {label}", n as f64 * 100.0 / count as f64);
            }
        }
        Ok(Err((input, problem))) => fail(target, seed, &problem, &input),
        Err(RecvTimeoutError::Timeout) => {
            let input = current.lock().map(|c| c.clone()).unwrap_or(None).expect("an input was running");
            fail(target, seed, &format!("no answer after {} s: a hang", HANG.as_secs()), &input)
        }
        Err(RecvTimeoutError::Disconnected) => panic!("the thread of fuzz target `{target}` died: see its panic above"),
    }
}

fn draw<T: Case, S: Strategy<Value = T>>(
    strategy: S,
    check: fn(&T) -> Result<String, String>,
    seed: u64,
    budget: Duration,
    current: &Mutex<Option<T>>,
    mut running: Running,
) -> Result<BTreeMap<String, u64>, (T, String)> {
    install_panic_hook();
    let mut runner = TestRunner::new(Config { rng_seed: RngSeed::Fixed(seed), ..Config::default() });
    let deadline = Instant::now() + budget;
    let mut reached = BTreeMap::new();
    while Instant::now() < deadline {
        let input = strategy.new_tree(&mut runner).expect("the strategies never reject").current();
        *current.lock().expect("not poisoned") = Some(input.clone());
        running.record(&input);
        let (baseline, started) = (memory::start(), Instant::now());
        let result = panic::catch_unwind(AssertUnwindSafe(|| check(&input)));
        let (elapsed, peak) = (started.elapsed(), memory::peak_since(baseline));
        let problem = match result {
            Err(_) => format!("panic: {}", LAST_PANIC.with(|p| p.borrow_mut().take()).unwrap_or_default()),
            Ok(Err(problem)) => problem,
            Ok(Ok(_)) if elapsed > SLOW => format!("took {elapsed:?}; the bound is {SLOW:?}"),
            Ok(Ok(_)) if peak > MEMORY => format!("allocated {} MiB at its peak; the bound is {} MiB", peak >> 20, MEMORY >> 20),
            Ok(Ok(label)) => {
                *reached.entry(label).or_insert(0) += 1;
                continue;
            }
        };
        return Err((input, problem));
    }
    running.finish();
    Ok(reached)
}

/// `target/fuzz-failures`, where failing inputs are kept.
fn failures() -> PathBuf {
    let dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target"))
        .join("fuzz-failures");
    std::fs::create_dir_all(&dir).expect("target/fuzz-failures can be made");
    dir
}

/// `target/fuzz-failures/<target>-running.txt`: the input being run, rewritten for each one, so
/// that a crash that ends the process at once leaves its input behind; removed at the end.
struct Running {
    path: PathBuf,
    file: File,
    header: String,
}

impl Running {
    fn open(target: &str, seed: u64) -> Running {
        let path = failures().join(format!("{target}-running.txt"));
        let file = File::create(&path).expect("the running input can be written");
        Running { path, file, header: format!("fuzz target `{target}`, seed {seed}: this input was running when the process ended\n\n") }
    }

    fn record<T: Case>(&mut self, input: &T) {
        let text = format!("{}{}\n", self.header, input.dump());
        let written = self.file.set_len(0).and_then(|()| self.file.seek(SeekFrom::Start(0))).and_then(|_| self.file.write_all(text.as_bytes()));
        written.expect("the running input can be written");
    }

    fn finish(self) {
        let _ = std::fs::remove_file(self.path);
    }
}

/// Writes the input to `target/fuzz-failures/<target>-<n>.txt` and fails the test.
fn fail<T: Case>(target: &str, seed: u64, problem: &str, input: &T) -> ! {
    let dir = failures();
    let _ = std::fs::remove_file(dir.join(format!("{target}-running.txt")));
    let path = (1..).map(|n| dir.join(format!("{target}-{n}.txt"))).find(|p| !p.exists()).expect("a free name");
    std::fs::write(&path, format!("fuzz target `{target}`, seed {seed}\nproblem: {problem}\n\n{}\n", input.dump())).expect("the failure can be written");
    panic!("fuzz target `{target}` found a problem: {problem}\ninput: {}", path.display());
}

thread_local! {
    static QUIET: Cell<bool> = const { Cell::new(false) };
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Keeps the message of each thread's last panic (for the failure file), and keeps the
/// expected panics of the canned GitHub out of the output.
fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let default = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            let _ = LAST_PANIC.try_with(|p| *p.borrow_mut() = Some(info.to_string()));
            if !QUIET.with(Cell::get) {
                default(info);
            }
        }));
    });
}

/// Runs `f`; `None` if it panics, without printing the panic.
pub fn quietly<R>(f: impl FnOnce() -> R) -> Option<R> {
    QUIET.with(|q| q.set(true));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(false));
    result.ok()
}

/// Counts the bytes each thread has allocated, to bound one input's memory.
mod memory {
    use std::alloc::{GlobalAlloc, Layout, System};
    use std::cell::Cell;

    struct Counting;

    thread_local! {
        static LIVE: Cell<usize> = const { Cell::new(0) };
        static PEAK: Cell<usize> = const { Cell::new(0) };
    }

    fn grew(bytes: usize) {
        let _ = LIVE.try_with(|live| {
            live.set(live.get() + bytes);
            let _ = PEAK.try_with(|peak| peak.set(peak.get().max(live.get())));
        });
    }

    fn shrank(bytes: usize) {
        // Freed on another thread than it was allocated on: the counts drift, never wrap.
        let _ = LIVE.try_with(|live| live.set(live.get().saturating_sub(bytes)));
    }

    unsafe impl GlobalAlloc for Counting {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            let p = unsafe { System.alloc(layout) };
            if !p.is_null() {
                grew(layout.size());
            }
            p
        }

        unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
            let p = unsafe { System.alloc_zeroed(layout) };
            if !p.is_null() {
                grew(layout.size());
            }
            p
        }

        unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
            unsafe { System.dealloc(p, layout) };
            shrank(layout.size());
        }

        unsafe fn realloc(&self, p: *mut u8, layout: Layout, size: usize) -> *mut u8 {
            let q = unsafe { System.realloc(p, layout, size) };
            if !q.is_null() {
                shrank(layout.size());
                grew(size);
            }
            q
        }
    }

    #[global_allocator]
    static ALLOCATOR: Counting = Counting;

    /// Starts a measure on this thread: the bytes live now.
    pub fn start() -> usize {
        let live = LIVE.with(Cell::get);
        PEAK.with(|peak| peak.set(live));
        live
    }

    /// The most bytes live at once on this thread since `start`, beyond those live then.
    pub fn peak_since(start: usize) -> usize {
        PEAK.with(Cell::get).saturating_sub(start)
    }
}
