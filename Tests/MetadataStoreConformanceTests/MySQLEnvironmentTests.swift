import Foundation
import Testing

/// CI must not pass the suite by silently leaving MySQL out.
@Suite struct MySQLEnvironmentTests {
    @Test func continuousIntegrationRunsTheSuiteAgainstMySQL() {
        let environment = ProcessInfo.processInfo.environment
        guard let ci = environment["CI"], !ci.isEmpty, ci != "false" else { return }
        #expect(MySQLTestServer.shared != nil, """
            CI is set but \(MySQLTestServer.urlVariable) / \(MySQLTestServer.passwordVariable) are not: \
            the MySQL driver would go untested (run scripts/test.sh, which starts a server)
            """)
        #expect(Driver.allCases.contains(.mysql))
    }
}
