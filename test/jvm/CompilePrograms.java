// Compiles each single-file program named on the command line into its own directory, in one JVM: test/jvm/programs.mjs
// runs it as `java CompilePrograms.java <out> <classpath> <file>...`. Each file is compiled alone, as the source launcher
// would (JEP 330): the classes of one program never see another's (SaslClients.java's `Producer` is Kafka's interface,
// not Producer.java's class). Prints one line per file, `ok <file>` or `failed <file>`, javac's messages on stderr.

import java.io.File;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

public class CompilePrograms {
  public static void main(String[] args) {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    String out = args[0];
    String classpath = args[1];
    for (int i = 2; i < args.length; i++) {
      File source = new File(args[i]);
      String name = source.getName().replaceFirst("\\.java$", "");
      String dir = new File(out, name).getPath();
      int code = javac.run(null, System.err, System.err, "-nowarn", "-proc:none", "-implicit:none", "-d", dir, "-cp", classpath, source.getPath());
      System.out.println((code == 0 ? "ok " : "failed ") + source.getName());
    }
  }
}
