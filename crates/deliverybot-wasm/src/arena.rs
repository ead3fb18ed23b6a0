//! The module's allocator: the first allocations come from a fixed arena, by bumping an offset;
//! the rest, once it is full, from the standard allocator.
//!
//! Why: the standard allocator of wasm32 (dlmalloc) is about 10 KB of WebAssembly, and V8
//! compiles each function the first time it is called, so every cold start paid for compiling it
//! (about 40 µs per KB here) to make a few hundred allocations: a push allocates about 40 KB in
//! all. Bumping an offset is a few hundred bytes of code, and a run that stays within the arena
//! never calls dlmalloc at all (README, Performance).
//!
//! What it costs: memory freed in the arena is reused only when it is the latest allocation (a
//! string or a list that grows, a temporary), and the arena is never handed back. Its size is
//! therefore the most this can waste, once per module instance; past it, every allocation goes to
//! dlmalloc as before, and so do the frees of what dlmalloc allocated.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::{Cell, UnsafeCell};
use std::ptr;

/// Bytes of the arena of the module's allocator: a push stays well within it (a 100-target config
/// too); a large payload or config goes on with dlmalloc.
pub const SIZE: usize = 1 << 20;

/// An arena of `N` bytes in front of the standard allocator.
#[repr(C, align(16))]
pub struct Arena<const N: usize> {
    bytes: UnsafeCell<[u8; N]>,
    /// Offset of the first byte not handed out.
    next: Cell<usize>,
}

// The global allocator must be `Sync`. WebAssembly here is single-threaded (no `atomics` target
// feature: checked below), so its cells are never touched by two threads; elsewhere (the tests)
// an arena is a local value, and not `Sync`.
#[cfg(target_feature = "atomics")]
compile_error!("the arena allocator assumes single-threaded WebAssembly");
#[cfg(target_arch = "wasm32")]
unsafe impl<const N: usize> Sync for Arena<N> {}

impl<const N: usize> Arena<N> {
    pub const fn new() -> Arena<N> {
        Arena { bytes: UnsafeCell::new([0; N]), next: Cell::new(0) }
    }

    fn base(&self) -> *mut u8 {
        self.bytes.get().cast()
    }

    /// Where `ptr` is in the arena, if it is in it.
    fn offset(&self, ptr: *mut u8) -> Option<usize> {
        (ptr as usize).checked_sub(self.base() as usize).filter(|&offset| offset < N)
    }

    /// A block from the arena, or `None` when it does not fit in what is left.
    fn bump(&self, layout: Layout) -> Option<*mut u8> {
        let free = self.base() as usize + self.next.get();
        // `align` is a power of two: round up to a multiple of it.
        let start = (free.checked_add(layout.align() - 1)? & !(layout.align() - 1)) - self.base() as usize;
        let end = start.checked_add(layout.size()).filter(|&end| end <= N)?;
        self.next.set(end);
        // From the arena's own pointer, so that the block keeps its provenance.
        Some(self.base().wrapping_add(start))
    }
}

impl<const N: usize> Default for Arena<N> {
    fn default() -> Self {
        Arena::new()
    }
}

unsafe impl<const N: usize> GlobalAlloc for Arena<N> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        match self.bump(layout) {
            Some(ptr) => ptr,
            None => unsafe { System.alloc(layout) },
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        match self.offset(ptr) {
            // The latest block: its bytes can be handed out again.
            Some(offset) if offset + layout.size() == self.next.get() => self.next.set(offset),
            Some(_) => {}
            None => unsafe { System.dealloc(ptr, layout) },
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let Some(offset) = self.offset(ptr) else {
            return unsafe { System.realloc(ptr, layout, new_size) };
        };
        // The latest block grows or shrinks where it is, if the arena has the room.
        if offset + layout.size() == self.next.get() && offset + new_size <= N {
            self.next.set(offset + new_size);
            return ptr;
        }
        if new_size <= layout.size() {
            return ptr;
        }
        // Elsewhere: later in the arena, or from dlmalloc once it is full.
        let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        let new = unsafe { self.alloc(new_layout) };
        if !new.is_null() {
            unsafe {
                ptr::copy_nonoverlapping(ptr, new, layout.size());
                self.dealloc(ptr, layout);
            }
        }
        new
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout(size: usize, align: usize) -> Layout {
        Layout::from_size_align(size, align).unwrap()
    }

    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    #[cfg_attr(not(target_arch = "wasm32"), test)]
    fn blocks_are_aligned_and_apart_until_the_arena_is_full() {
        let arena = Arena::<64>::new();
        unsafe {
            let a = arena.alloc(layout(3, 1));
            let b = arena.alloc(layout(8, 8));
            assert_eq!(arena.offset(a), Some(0));
            assert_eq!(arena.offset(b), Some(8), "rounded up to its alignment");
            assert_eq!(b as usize % 8, 0);
            let c = arena.alloc(layout(48, 4));
            assert_eq!(arena.offset(c), Some(16));
            // 64 bytes are handed out: the next block comes from the standard allocator.
            let d = arena.alloc(layout(1, 1));
            assert_eq!(arena.offset(d), None);
            d.write(7);
            arena.dealloc(d, layout(1, 1));
        }
    }

    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    #[cfg_attr(not(target_arch = "wasm32"), test)]
    fn the_latest_block_is_freed_and_grown_in_place_others_move() {
        let arena = Arena::<64>::new();
        unsafe {
            let a = arena.alloc(layout(4, 4));
            let b = arena.alloc(layout(4, 4));
            // Not the latest: freeing `a` hands nothing back.
            arena.dealloc(a, layout(4, 4));
            assert_eq!(arena.next.get(), 8);
            // The latest grows where it is, and shrinks.
            b.copy_from([1, 2, 3, 4].as_ptr(), 4);
            assert_eq!(arena.realloc(b, layout(4, 4), 20), b);
            assert_eq!(arena.next.get(), 24);
            assert_eq!(arena.realloc(b, layout(20, 4), 6), b);
            assert_eq!(arena.next.get(), 10);
            let c = arena.alloc(layout(2, 1));
            // `b` is no longer the latest: growing it moves it, contents and all.
            let moved = arena.realloc(b, layout(6, 4), 12);
            assert_ne!(moved, b);
            assert_eq!(std::slice::from_raw_parts(moved, 4), [1, 2, 3, 4]);
            // Past the arena's end it moves to the standard allocator, contents and all.
            let big = arena.realloc(moved, layout(12, 4), 100);
            assert_eq!(arena.offset(big), None);
            assert_eq!(std::slice::from_raw_parts(big, 4), [1, 2, 3, 4]);
            let bigger = arena.realloc(big, layout(100, 4), 200);
            assert_eq!(std::slice::from_raw_parts(bigger, 4), [1, 2, 3, 4]);
            arena.dealloc(bigger, layout(200, 4));
            arena.dealloc(c, layout(2, 1));
        }
    }

    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    #[cfg_attr(not(target_arch = "wasm32"), test)]
    fn freed_latest_bytes_are_handed_out_again() {
        let arena = Arena::<32>::new();
        unsafe {
            let a = arena.alloc(layout(16, 8));
            arena.dealloc(a, layout(16, 8));
            assert_eq!(arena.alloc(layout(16, 8)), a);
            // A large alignment is kept, in the arena or out of it.
            let far = arena.alloc(layout(8, 64));
            assert_eq!(far as usize % 64, 0);
            arena.dealloc(far, layout(8, 64));
        }
    }
}
