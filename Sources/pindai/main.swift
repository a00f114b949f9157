import Foundation
import PindaiCLI

// Tesseract links libgomp, which reads OMP_THREAD_LIMIT when the library loads; without it small
// field images cost 5-14x the CPU. Setting it inside the process is too late, so re-exec once.
if getenv("OMP_THREAD_LIMIT") == nil {
    setenv("OMP_THREAD_LIMIT", "1", 1)
    execv("/proc/self/exe", CommandLine.unsafeArgv)
}

await PindaiMain.run()
