// The fixture's tests ran on the JUnit Platform (not "Tests run: 0"), the judged check was skipped for want of a key,
// and the library's report listener wrote the report.
def log = new File(basedir, 'build.log').text
assert log.contains('Tests run: 2, Failures: 0, Errors: 0, Skipped: 1') : 'expected both fixture tests to run, one skipped'
assert new File(basedir, 'target/llm-judge/report.html').isFile() : 'expected the report at target/llm-judge/report.html'
assert new File(basedir, 'target/llm-judge/report.json').text.contains('explains_the_refund_policy')
return true
