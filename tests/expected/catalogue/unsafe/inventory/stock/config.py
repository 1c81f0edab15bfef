import os


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", "sqlite://")
    SESSION_COOKIE_SECURE = True
    ENV = "production"


class ProductionConfig(Config):
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_HTTPONLY = True


class TestingConfig(Config):
    # a test configuration never deploys: none of these is reported
    TESTING = True
    DEBUG = True
    SECRET_KEY = "testing-secret-key"
    SESSION_COOKIE_SECURE = False


configs = {"default": Config, "production": ProductionConfig, "testing": TestingConfig}
