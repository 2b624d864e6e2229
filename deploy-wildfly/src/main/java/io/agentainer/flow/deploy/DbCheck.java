package io.agentainer.flow.deploy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Checks the database settings before the launcher starts WildFly, so a wrong {@code FLOW_DB_URL}
 * fails at once with a message that names it, instead of a failed deployment in a log.
 *
 * <pre>java DbCheck url user password</pre>
 *
 * Exit 0 and the server version on the first line; exit 1 and the reason; exit 2 when the URL is
 * not a PostgreSQL JDBC URL.
 */
public final class DbCheck {

  private DbCheck() {}

  public static void main(String[] args) {
    String url = args.length > 0 ? args[0] : "";
    String user = args.length > 1 ? args[1] : "";
    String password = args.length > 2 ? args[2] : "";
    Result result = check(url, user, password);
    (result.code == 0 ? System.out : System.err).println(result.message);
    System.exit(result.code);
  }

  /** The outcome of a check: an exit code and what to print. */
  record Result(int code, String message) {}

  static Result check(String url, String user, String password) {
    if (!url.startsWith("jdbc:postgresql://")) {
      return new Result(
          2,
          "FLOW_DB_URL must be a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database), got '"
              + url
              + "'");
    }
    Properties props = new Properties();
    props.setProperty("user", user);
    if (!password.isEmpty()) {
      props.setProperty("password", password);
    }
    props.setProperty("connectTimeout", "5");
    props.setProperty("loginTimeout", "5");
    try (Connection c = DriverManager.getConnection(url, props)) {
      return new Result(
          0,
          c.getMetaData().getDatabaseProductName()
              + " "
              + c.getMetaData().getDatabaseProductVersion());
    } catch (SQLException e) {
      String state = e.getSQLState() == null ? "" : e.getSQLState();
      String hint =
          switch (state) {
            case "08001", "08004", "08006" -> "nothing answers there";
            case "3D000" -> "no such database";
            case "28000", "28P01" -> "user or password refused (FLOW_DB_USER, FLOW_DB_PASSWORD)";
            default -> "cannot connect";
          };
      return new Result(1, "FLOW_DB_URL=" + url + ": " + hint + ": " + e.getMessage());
    }
  }
}
