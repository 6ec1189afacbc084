// Records that fail before librdkafka takes them, and per-record topics (producing thread).

extension SendLoop {
    /// A record naming its own topic: the handle is looked up once per change of topic. A name
    /// librdkafka refuses fails that record alone.
    @inline(never) func resolve(topic name: UnsafeRawBufferPointer, _ record: RecordView) -> TopicID? {
        if let last = lastTopic, last.name.elementsEqual(name) { return last.id }
        let text = String(decoding: name, as: UTF8.self)
        // A dry run shows each record with the topic its input names, as no broker is asked.
        if !sendsNowhere, let why = topicNameProblem(text) {
            failLocally(record, code: LibrdkafkaInfo.invalidArgCode, message: "topic: \(why)")
            return nil
        }
        do {
            let id = try producer.topic(named: text)
            lastTopic = (Array(name), id)
            return id
        } catch {
            failLocally(record, code: LibrdkafkaInfo.invalidArgCode, message: error.message)
            return nil
        }
    }

    /// An input unit that is not a valid record: exit 65 under stop-on-error, else a failed
    /// result whose correlation comes from the raw input.
    func reportMalformed<Source: RecordSource>(_ source: Source, _ message: String) throws(EmitError) {
        if options.stopOnError { throw .dataError("\(message); fix the input, or pass --continue-on-error") }
        let record = RecordView(index: source.index, key: nil, value: nil, headers: RecordView.noHeaders,
                                correlation: source.malformedCorrelation())
        failLocally(record, code: LibrdkafkaInfo.badMessageCode, message: message)
    }

    func failLocally(_ record: RecordView, code: Int32, message: String) {
        guard let slot = slots.tryAcquire() ?? waitForSlot(expired: { false }) else { return }
        sink.willSend(slot: slot, record: record, topic: defaultTopic ?? TopicID(index: -1))
        attempted &+= 1
        reports.reportLocalFailure(slot: slot, code: code, message: message, record: record, giveUp: { stop.signalCount >= 2 })
    }
}
