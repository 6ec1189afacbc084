// The producing thread's waits: for a free in-flight slot, and for the cluster's first answer.

extension SendLoop {
    @inline(never) func waitForSlot(expired: () -> Bool) -> Int? {
        reports.producerWillWait()
        while true {
            if let s = slots.tryAcquire() { return s }
            if stop.isStopped || expired() { return nil }
            slots.waitForFree(nanos: 5_000_000)
        }
    }

    /// Waits for the first sign that the cluster answers (a delivery report, or the watch
    /// thread's metadata answer); false when the run stops first.
    @inline(never) func waitForCluster(_ pacer: Pacer) -> Bool {
        while !reports.anyDelivered && reachability.withLock({ $0 }) == nil {
            if stop.isStopped || pacer.expired { return false }
            reports.serveOnProducer()   // the first delivery report is what we wait for
            Clock.sleep(nanos: 200_000)
        }
        clusterReady = true
        return true
    }
}
