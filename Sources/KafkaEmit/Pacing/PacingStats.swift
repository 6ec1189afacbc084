/// Pacing figures: how far the sends fell behind their schedule. (Each record's lateness goes
/// to the pacer's `recordLateness`.)
package struct PacingStats: Sendable {
    /// Total time the schedule was shifted because the sender could not keep up.
    package var behindNanos: UInt64 = 0
    package var paced = false
    /// Records that went out on the schedule.
    package var sent: UInt64 = 0
    /// Monotonic send times and numbers of the first and last record, and the schedule's
    /// interval: what drift and achieved rate are computed from.
    package var firstSendNanos: UInt64 = 0
    package var lastSendNanos: UInt64 = 0
    package var firstIndex: UInt64 = 0
    package var lastIndex: UInt64 = 0
    package var intervalNanos: Double = 0
    /// Where the first and the last record were due on the schedule (offsets from its start,
    /// without shifts).
    package var firstDueNanos: UInt64 = 0
    package var lastDueNanos: UInt64 = 0
    /// `--replay`: records whose timestamp was older than one before (sent at once), and
    /// records with no timestamp (sent at once).
    package var replaying = false
    package var replayOutOfOrder: UInt64 = 0
    package var replayUntimed: UInt64 = 0
    package init() {}

    /// `--replay`: how far the last send was from the recorded schedule (its place, SPEED
    /// applied), the catching-up of a slow start or a stall included, in ns.
    package var replayDriftNanos: Double {
        guard lastIndex > firstIndex else { return 0 }
        return Double(lastSendNanos - firstSendNanos) - Double(lastDueNanos - firstDueNanos)
    }

    /// Actual first-to-last send span minus the ideal one (and minus deliberate shifts), in ns.
    package var driftNanos: Double {
        guard lastIndex > firstIndex else { return 0 }
        return Double(lastSendNanos - firstSendNanos) - Double(lastDueNanos - firstDueNanos) - Double(behindNanos)
    }

    /// Records per second actually achieved between the first and the last send.
    package var achievedRate: Double {
        guard sent > 1, lastSendNanos > firstSendNanos else { return 0 }
        return Double(sent - 1) / (Double(lastSendNanos - firstSendNanos) / 1e9)
    }
}
