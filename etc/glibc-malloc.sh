# glibc malloc and libtorch allocator settings for every ProxyNAS JVM (sourced by ./proxynas and bench/*.sh;
# the same values are in pom.xml for the tests). DJL keeps a step's tensors until the step's scope closes, then
# frees them all at once; by default glibc hands that memory back to the kernel and the next step faults every
# page in again. Keeping freed memory in the process made training up to 3x faster at the same peak RSS
# (bench/results/malloc.md). Values a user exported already win.
export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-33554432}"   # the largest glibc accepts (32 MiB)
export MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-17179869184}" # never shrink the heap in practice
export MALLOC_TOP_PAD_="${MALLOC_TOP_PAD_:-1073741824}"               # grow it in 1 GiB steps of address space
# libtorch (>= 2.1) aligns every block of 2 MiB or more to 2 MiB and asks for transparent huge pages for it: same
# results and speed, and 10-27% less peak memory under ProxyNAS's order of frees (bench/results/memory.md).
export THP_MEM_ALLOC_ENABLE="${THP_MEM_ALLOC_ENABLE:-1}"
