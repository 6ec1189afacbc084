import Testing
@_spi(Engine) @testable import KafkaEmit
@testable import KafkaEmitEngine
@testable import KafkaEmitCLI

/// The Schema Registry flags and the Confluent console producers' `--property` keys, as the
/// plan receives them (SPEC §2b): precedence, what leaves librdkafka's properties, refusals.
@Suite struct SchemaFlagTests {
    func plan(_ args: [String], env: [String: String] = [:]) throws -> EmitPlan {
        guard case .run(let c) = try CommandLineParser.parse(args + ["-n", "1"]) else { throw FlagError("not a run") }
        return try c.makePlan(environment: env)
    }

    func problem(_ args: [String]) -> String? {
        do { _ = try plan(args); return nil } catch { return "\(error)" }
    }

    @Test func typedFlags() throws {
        let p = try plan(["-t", "o", "--schema-registry", "http://a,http://b", "--value-schema", "o.avsc", "--key-schema-id", "7",
                          "--registry-property", "schema.registry.basic.auth.user.info=u:p", "--no-auto-register",
                          "--subject-name-strategy", "topic-record"])
        #expect(p.schemas.urls == "http://a,http://b")
        #expect(p.schemas.value?.file == "o.avsc")
        #expect(p.schemas.key?.id == 7)
        #expect(p.schemas.properties == [.init("basic.auth.user.info", "u:p")])
        #expect(p.schemas.autoRegister == false)
        #expect(p.schemas.strategy == .topicRecord)
        #expect(p.schemas.randomValue && p.schemas.randomKey)   // generate mode, no --value and no --key: random records
    }

    @Test func consoleProducerProperties() throws {
        let p = try plan(["-t", "o", "--property", "schema.registry.url=http://sr", "--property", #"value.schema={"type":"string"}"#,
                          "--property", "auto.register=false", "-X", "linger.ms=5", "--property", "basic.auth.user.info=u:p",
                          "--property", "value.subject.name.strategy=io.confluent.kafka.serializers.subject.RecordNameStrategy",
                          "--value", "x"])
        #expect(p.schemas.urls == "http://sr")
        #expect(p.schemas.value?.text == #"{"type":"string"}"#)
        #expect(p.schemas.autoRegister == false)
        #expect(p.schemas.strategy == .record)
        #expect(p.schemas.randomValue == false)
        // none of them reach librdkafka; -X linger.ms does
        #expect(!p.properties.contains { SchemaOptions.isSchemaProperty($0.key) })
        #expect(p.properties.contains { $0.key == "linger.ms" })
    }

    @Test func flagsWinOverPropertiesAndEnvironment() throws {
        let p = try plan(["-t", "o", "--property", "schema.registry.url=http://prop", "--schema-registry", "http://flag",
                          "--property", "value.schema.id=3", "--value-schema-id", "4", "--value", "x"],
                         env: ["SCHEMA_REGISTRY_URL": "http://env"])
        #expect(p.schemas.urls == "http://flag")
        #expect(p.schemas.value?.id == 4)
        let q = try plan(["-t", "o", "--value-subject", "s", "--value", "x"], env: ["SCHEMA_REGISTRY_URL": "http://env"])
        #expect(q.schemas.urls == "http://env")
    }

    @Test func refusals() {
        #expect(problem(["-t", "o", "--value-schema-version", "2", "--value-schema-id", "1"])?.contains("--value-schema-version needs --value-subject") == true)
        #expect(problem(["-t", "o", "--value-schema-type", "avro"])?.contains("need the schema itself") == true)
        #expect(problem(["-t", "o", "--value-schema-type", "xml"])?.contains("'xml' is not a schema type") == true)
        #expect(problem(["-t", "o", "--subject-name-strategy", "nope"])?.contains("not a subject name strategy") == true)
        #expect(problem(["-t", "o", "--property", "auto.register=maybe"])?.contains("not true or false") == true)
        #expect(problem(["-t", "o", "--property", "value.schema.frobnicate=1"])?.contains("not a schema setting") == true)
        #expect(problem(["-t", "o", "--registry-property", "nokey"])?.contains("KEY=VALUE") == true)
        #expect(problem(["-t", "o", "--auto-register", "--no-auto-register"]) != nil)
    }
}
