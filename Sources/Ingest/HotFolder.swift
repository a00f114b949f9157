import Foundation

/// A folder that scanning stations write into all shift long. A file is taken only once its
/// writer has finished with it: its size and modification time unchanged over one poll and
/// older than ``settle`` seconds, and its name not one that scanners and copy tools use while
/// writing (`*.part`, `*.tmp`, `*.crdownload`, `~*`, hidden files). A scanner that writes under
/// such a name and renames at the end is therefore picked up at the rename.
package struct HotFolder: Sendable {
    /// The folder watched (recursively).
    package var directory: String
    /// Where files are moved once their fate is in the store (read, exception or duplicate), with
    /// their path below ``directory`` kept; nil leaves them in place.
    package var doneDirectory: String?
    /// Seconds a file must stay unchanged before it is taken.
    package var settle: Double

    /// Name endings and prefixes of files still being written.
    static let inProgressSuffixes = [".part", ".tmp", ".crdownload", ".partial", ".filepart"]

    /// Creates a watcher.
    package init(directory: String, doneDirectory: String?, settle: Double = 2) {
        self.directory = directory
        self.doneDirectory = doneDirectory
        self.settle = settle
    }

    /// What a poll saw of a file.
    struct Sighting: Hashable, Sendable {
        var size: Int64
        var modified: Date
    }

    /// The folder's files now, with the folder for done files left out.
    func candidates() -> [String: Sighting] {
        let fm = FileManager.default
        let done = doneDirectory.map { URL(fileURLWithPath: $0).standardizedFileURL.path + "/" }
        var out: [String: Sighting] = [:]
        for path in ScanFileFinder.files(in: [directory]).files {
            let name = (path as NSString).lastPathComponent.lowercased()
            if name.hasPrefix("~") || Self.inProgressSuffixes.contains(where: name.hasSuffix) { continue }
            if let done, URL(fileURLWithPath: path).standardizedFileURL.path.hasPrefix(done) { continue }
            guard let a = try? fm.attributesOfItem(atPath: path), let size = a[.size] as? NSNumber, let modified = a[.modificationDate] as? Date
            else { continue }
            out[path] = Sighting(size: size.int64Value, modified: modified)
        }
        return out
    }

    /// The state carried from poll to poll.
    package struct State: Sendable {
        var previous: [String: Sighting] = [:]
        /// Files already handled in this run and left in place (no done folder), by what they
        /// looked like then; a file rewritten since is taken again.
        var handled: [String: Sighting] = [:]

        /// Creates an empty state.
        package init() {}
    }

    /// One poll: the files ready to be read now, and the backlog (every file seen and not yet
    /// handled, ready or still being written).
    package func poll(_ state: inout State, now: Date = Date()) -> (ready: [String], backlogFiles: Int, backlogBytes: Int64) {
        let seen = candidates()
        var ready: [String] = []
        var backlog = 0
        var bytes: Int64 = 0
        for (path, sighting) in seen.sorted(by: { $0.key < $1.key }) {
            if state.handled[path] == sighting { continue }
            backlog += 1
            bytes += sighting.size
            if state.previous[path] == sighting, now.timeIntervalSince(sighting.modified) >= settle { ready.append(path) }
        }
        state.previous = seen
        state.handled = state.handled.filter { seen[$0.key] != nil }
        return (ready, backlog, bytes)
    }

    /// Records that `paths` are handled: moves them to the done folder, or remembers them.
    /// A move that fails (the done folder full or read-only) leaves the file and says why.
    package func settle(_ paths: [String], state: inout State) -> [String] {
        var problems: [String] = []
        let fm = FileManager.default
        let root = URL(fileURLWithPath: directory).standardizedFileURL.path
        for path in paths {
            guard let doneDirectory else {
                if let a = try? fm.attributesOfItem(atPath: path), let size = a[.size] as? NSNumber, let modified = a[.modificationDate] as? Date {
                    state.handled[path] = Sighting(size: size.int64Value, modified: modified)
                }
                continue
            }
            let full = URL(fileURLWithPath: path).standardizedFileURL.path
            let relative = full.hasPrefix(root + "/") ? String(full.dropFirst(root.count + 1)) : (full as NSString).lastPathComponent
            var target = (doneDirectory as NSString).appendingPathComponent(relative)
            do {
                try fm.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                if fm.fileExists(atPath: target) {
                    // A second file of the same name: keep both.
                    target += "." + String(Int(Date().timeIntervalSince1970))
                }
                try fm.moveItem(atPath: path, toPath: target)
            } catch {
                problems.append("\(path): cannot move it to \(target): \(error.localizedDescription); it stays in the folder")
                if let a = try? fm.attributesOfItem(atPath: path), let size = a[.size] as? NSNumber, let modified = a[.modificationDate] as? Date {
                    state.handled[path] = Sighting(size: size.int64Value, modified: modified)
                }
            }
        }
        return problems
    }
}
